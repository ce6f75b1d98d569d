/*
 * NAME
 *	remove 3h
 * SUMMARY
 *	-e deport, destroy
 * SYNOPSIS
 *	#include "remove.h"
 */
#ifndef REMOVE_H
#define REMOVE_H

#include "lifecycle.h"

void    remove_plan_deport(struct context *);
void    remove_plan_destroy(struct context *);

#endif
