/*
 * NAME
 *	maincf 3h
 * SUMMARY
 *	read main.cf files and expand parameter values
 * SYNOPSIS
 *	#include "maincf.h"
 */
#ifndef MAINCF_H
#define MAINCF_H

#include <stddef.h>
#include "util.h"

typedef struct maincf MAINCF;

#define MAINCF_SIZE_LIMIT	(64 * 1024 * 1024)

MAINCF *maincf_parse(const char *, size_t, const char *, char **);
MAINCF *maincf_load(const char *, char **);
const char *maincf_get(const MAINCF *, const char *);
const char *maincf_lookup(const MAINCF *, const char *);
int     maincf_expand(const MAINCF *, const char *, strbuf *, char **);
char   *maincf_eval(const MAINCF *, const char *, char **);
char   *maincf_eval_or_die(const MAINCF *, const char *, const char *);
int     maincf_bool(const MAINCF *, const char *, int *, char **);
const char *maincf_path(const MAINCF *);
void    maincf_names(const MAINCF *, strlist *);
const char *maincf_default(const MAINCF *, const char *);
void    maincf_service_names(const MAINCF *, strlist *);
void    maincf_free(MAINCF *);

#endif
