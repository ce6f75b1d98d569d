/*
 * NAME
 *	registry 3h
 * SUMMARY
 *	multi_instance_directories and alternate_config_directories edits, placement
 * SYNOPSIS
 *	#include "registry.h"
 */
#ifndef REGISTRY_H
#define REGISTRY_H

#include "lifecycle.h"

 /*
  * What unregistering leaves.
  */
enum unregister {
    UNREGISTER_FORGET,			/* destroy: in neither list */
    UNREGISTER_ALTERNATE,		/* deport: Postfix still accepts it */
};

void    registry_register(struct context *, const char *, size_t);
void    registry_unregister(struct context *, const char *, enum unregister);
size_t  registry_placement(struct context *);
void    registry_alternates(struct context *, strlist *);

#endif
