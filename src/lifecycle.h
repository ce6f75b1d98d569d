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
#include "plan.h"

struct context;

 /*
  * An -e action: its planning function and the rules of its command line.
  * The table is in main.c.
  */
struct action {
    const char *name;
    void    (*plan) (struct context *);
    int     flags;
};

#define ACTION_NEEDS_INIT	(1<<0)	/* refused until "-e init" */
#define ACTION_PARAMS		(1<<1)	/* takes directory=/path */
#define ACTION_NAMES		(1<<2)	/* takes -I and -G */
#define ACTION_PLACES		(1<<3)	/* -a, -g, -i: where the new one goes */
#define ACTION_TARGET		(1<<4)	/* -i name: the instance it acts on */
#define ACTION_RENAMES		(1<<5)	/* needs -I or -G */
#define ACTION_IMPORTS		(1<<6)	/* the instance exists: only config_directory= */

struct lifecycle {
    const struct action *action;	/* -e */
    struct selection sel;		/* -a, -g, -i */
    const char *new_name;		/* -I, or NULL */
    const char *new_group;		/* -G, or NULL */
    char  **params;			/* param=value ... */
    int     dry_run;			/* -n */
    int     own_wrapper;		/* -W: init points the wrapper here */
    /* What lifecycle_check() made of params: NULL where not given. */
    char   *config_dir;
    char   *queue_dir;
    char   *data_dir;
};

void    lifecycle_check(struct lifecycle *);
int     lifecycle_run(struct lifecycle *);

 /*
  * What the planning functions share (lifecycle.c).
  */
struct context {
    const struct lifecycle *lc;
    const char *action;			/* lc->action->name */
    struct insttab tab;
    struct plan plan;
    char   *main_cf;			/* the primary's main.cf */
};

struct instance *lifecycle_target(struct context *);
struct instance *lifecycle_healthy_target(struct context *);
char   *lifecycle_main_cf(const struct instance *);
void    lifecycle_postfix(struct context *, const char *, const char *);
int     lifecycle_postfix_status(const struct context *, const char *);

#endif
