/*
 * NAME
 *	mastercf 3h
 * SUMMARY
 *	read master.cf files
 * SYNOPSIS
 *	#include "mastercf.h"
 */
#ifndef MASTERCF_H
#define MASTERCF_H

#include <stddef.h>
#include "util.h"

 /*
  * The fixed fields of a master.cf entry, in file order, named as
  * "postconf -F" names them.
  */
enum mastercf_field {
    MCF_SERVICE,
    MCF_TYPE,
    MCF_PRIVATE,
    MCF_UNPRIV,
    MCF_CHROOT,
    MCF_WAKEUP,
    MCF_MAXPROC,
    MCF_COMMAND,
    MCF_NFIELDS,
};

struct mastercf_override {
    char   *name;
    char   *value;
};

struct mastercf_service {
    char   *field[MCF_NFIELDS];
    strlist args;			/* after the command, normalized */
    struct mastercf_override *ov;	/* -o name=value, last one wins */
    size_t  nov;
    size_t  line;			/* where the entry starts */
};

typedef struct mastercf {
    char   *origin;
    struct mastercf_service *v;
    size_t  n;
    strlist warnings;			/* one line each, origin and line */
} MASTERCF;

#define MASTERCF_SIZE_LIMIT	(64 * 1024 * 1024)

extern const char *const mastercf_field_names[MCF_NFIELDS];

MASTERCF *mastercf_parse(const char *, size_t, const char *, char **);
MASTERCF *mastercf_load(const char *, char **);
const char *mastercf_override(const struct mastercf_service *, const char *);
char   *mastercf_command(const struct mastercf_service *);
void    mastercf_free(MASTERCF *);

#endif
