/*
 * NAME
 *	create 3h
 * SUMMARY
 *	-e init, create, import
 * SYNOPSIS
 *	#include "create.h"
 */
#ifndef CREATE_H
#define CREATE_H

#include "lifecycle.h"

void    create_plan_init(struct context *);
void    create_plan_create(struct context *);	/* create and import */

#endif
