/*
 * NAME
 *	assign 3h
 * SUMMARY
 *	-e enable, disable, assign; names and groups
 * SYNOPSIS
 *	#include "assign.h"
 */
#ifndef ASSIGN_H
#define ASSIGN_H

#include "lifecycle.h"

const char *assign_final_value(const char *, const char *);
void    assign_names(struct context *, const char *, const char *, const char *);
void    assign_plan_enable(struct context *);
void    assign_plan_disable(struct context *);
void    assign_plan_assign(struct context *);

#endif
