/*
 * NAME
 *	plan 3h
 * SUMMARY
 *	a plan of file system changes: dry run, apply, undo
 * SYNOPSIS
 *	#include "plan.h"
 */
#ifndef PLAN_H
#define PLAN_H

#include <sys/types.h>

#include "edit.h"
#include "sweep.h"
#include "util.h"

enum step_kind {
    STEP_MKDIR,				/* create a directory */
    STEP_WRITE,				/* install or replace a file */
    STEP_UNLINK,			/* remove a file */
    STEP_SWEEP,				/* clear and remove a directory */
    STEP_RMDIR,				/* remove a directory if empty */
    STEP_RUN,				/* run a command, after unlocking */
};

struct step {
    enum step_kind kind;
    char   *path;
    mode_t  mode;			/* MKDIR */
    strbuf  text;			/* WRITE: the new text */
    strbuf  old;			/* WRITE: the text it replaces */
    int     existed;			/* WRITE: was there a file? */
    char   *base_label;			/* WRITE: show a new file against */
    strbuf  base;			/* WRITE: ... this text */
    strlist argv;			/* RUN */
    char   *hint;			/* RUN: what to say when it fails */
    enum role role;			/* SWEEP */
    char   *resume;			/* irreversible: how to finish */
    char   *label;			/* irreversible: its report begins so */
    int     done;			/* for undo */
};

struct plan {
    struct step *v;
    size_t  n;
    struct leftovers leftovers;		/* what sweeps leave in place */
    strlist removed;			/* what irreversible steps removed */
};

#define PLAN_INIT { 0, 0, { STRLIST_INIT, STRLIST_INIT }, STRLIST_INIT }

struct step *plan_add(struct plan *, enum step_kind, const char *);
struct step *plan_find(struct plan *, enum step_kind, const char *);
int     plan_has(const struct plan *, enum step_kind);
void    plan_edit(struct plan *, const char *, const struct edit_op *, size_t);
void    plan_set(struct plan *, const char *, const char *, const char *);
void    plan_mkdir(struct plan *, const char *, mode_t);
void    plan_print(const struct plan *, strbuf *);
int     plan_check(const struct plan *, char **);
int     plan_apply(struct plan *, char **);
int     plan_commands(struct plan *, const strlist *);
void    plan_free(struct plan *);
void    final_newline(strbuf *);

#endif
