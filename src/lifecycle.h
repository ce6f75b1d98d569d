/*
 * NAME
 *	lifecycle 3h
 * SUMMARY
 *	life-cycle mode: -e init, create, import, ...
 * SYNOPSIS
 *	#include "lifecycle.h"
 */
#ifndef LIFECYCLE_H
#define LIFECYCLE_H

#include "instance.h"

struct lifecycle {
    const char *action;			/* -e */
    struct selection sel;		/* -a, -g, -i */
    int     sel_given;
    const char *new_name;		/* -I, or NULL */
    const char *new_group;		/* -G, or NULL */
    char  **params;			/* param=value ... */
    int     dry_run;			/* -n */
    const char *self;			/* argv[0] */
};

int     lifecycle_valid_action(const char *);
int     lifecycle_run(const struct lifecycle *);

#endif
