/*
 * NAME
 *	instance 3h
 * SUMMARY
 *	the instance table: load, claim, select
 * SYNOPSIS
 *	#include "instance.h"
 */
#ifndef INSTANCE_H
#define INSTANCE_H

#include "maincf.h"
#include "util.h"

struct instance {
    char   *config_dir;			/* as listed; the primary's default */
    char   *queue_dir;			/* NULL when damaged */
    char   *data_dir;			/* NULL when damaged */
    char   *syslog_name;		/* NULL when damaged */
    char   *name;			/* "" when nameless */
    char   *group;			/* "" when in no group */
    int     enabled;
    int     primary;
    char   *damage;			/* why it is unusable, or NULL */
};

 /*
  * What the primary instance's main.cf says for everyone.
  */
struct primary_conf {
    MAINCF *cf;
    char   *command_dir;
    char   *daemon_dir;
    char   *meta_dir;
    char   *shlib_dir;
    strlist instance_dirs;		/* multi_instance_directories */
};

struct claims;

struct insttab {
    struct primary_conf conf;
    struct instance *v;			/* v[0] is the primary */
    size_t  n;
    struct claims *claims;
};

enum selection_kind {
    SELECT_NONE,			/* none of -a, -g, -i: all */
    SELECT_ALL,				/* -a */
    SELECT_GROUP,			/* -g group */
    SELECT_NAME,			/* -i name, -i /path, -i - */
};

struct selection {
    enum selection_kind kind;
    const char *arg;
};

enum match {
    MATCH_NO,
    MATCH_YES,
    MATCH_UNKNOWN,			/* damaged: can't tell */
};

#define INSTANCE_NAME_PREFIX	"postfix-"

const char *primary_config_dir(void);
MAINCF *primary_read(const char *);
void    primary_log_setup(const MAINCF *);
void    insttab_load(struct insttab *, MAINCF *, const char *);
void    insttab_free(struct insttab *);
enum match instance_match(const struct instance *, const struct selection *);
ssize_t insttab_find(const struct insttab *, const struct selection *);
int     load_secondary(struct instance *, const char *);
void    instance_free(struct instance *);
char   *claims_check(struct claims *, const struct instance *);
char   *claims_check_as(struct claims *, const struct instance *, const struct instance *);

#endif
