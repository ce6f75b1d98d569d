/*
 * NAME
 *	relop 3h
 * SUMMARY
 *	the relational operators of main.cf comparisons
 * SYNOPSIS
 *	#include "relop.h"
 */
#ifndef RELOP_H
#define RELOP_H

enum relop_kind {
    RELOP_EQ,				/* == */
    RELOP_NE,				/* != */
    RELOP_LT,				/* < */
    RELOP_LE,				/* <= */
    RELOP_GT,				/* > */
    RELOP_GE,				/* >= */
};

struct relop {
    enum relop_kind kind;
    int     by_level;			/* "level" suffix */
};

const char *relop_scan(const char *, const char *, struct relop *, const char **, const char **);
int     relop_eval(const struct relop *, const char *, const char *, int *, char **);

#endif
