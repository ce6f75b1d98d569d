/*
 * NAME
 *	instance 3
 * SUMMARY
 *	the instance table: load, claim, select
 * SYNOPSIS
 *	#include "instance.h"
 *
 *	const char *primary_config_dir()
 *
 *	MAINCF	*primary_read(config_dir)
 *	const char *config_dir;
 *
 *	void	primary_log_setup(cf)
 *	const MAINCF *cf;
 *
 *	void	insttab_load(tab, cf, config_dir)
 *	struct insttab *tab;
 *	MAINCF	*cf;
 *	const char *config_dir;
 *
 *	enum match instance_match(inst, sel)
 *	ssize_t	insttab_find(tab, sel)
 *
 *	int	load_secondary(inst, config_dir)
 *	char	*claims_check(claims, inst)
 *	char	*claims_check_as(claims, owner, as)
 * DESCRIPTION
 *	primary_read() reads the primary instance's main.cf (in the
 *	compiled-in config_directory, or another one for the tests); any
 *	error is fatal.
 *
 *	primary_log_setup() makes diagnostics go to syslog as that
 *	main.cf says (syslog_name, unless postfix(1) passed a tag in
 *	MAIL_LOGTAG, and syslog_facility), and passes syslog_name on in
 *	MAIL_LOGTAG to the commands postmulti runs. Callers do this
 *	before loading the table, so that its fatal errors are logged
 *	where the administrator looks.
 *
 *	insttab_load() builds the instance table from that main.cf (the
 *	table owns it from then on): the primary instance first, then
 *	the directories of its multi_instance_directories, in order.
 *	Each instance is read with the in-process main.cf reader, its
 *	parameters evaluated in its own context (what its main.cf leaves
 *	unset takes the compiled-in default, not the primary's value).
 *
 *	Anything wrong with the primary is fatal. A secondary whose
 *	main.cf is missing, unreadable or malformed is kept in the
 *	table as "damaged", with the reason: callers warn about it and
 *	carry on with the others.
 *
 *	Every instance then claims its name and its private
 *	directories (config, queue, data); the primary also claims the
 *	shared directories that are absolute (command, daemon, shlib),
 *	which must exist and be directories. A claim by two owners is a
 *	fatal conflict, with one exception: the shared directories may
 *	coincide with each other (daemon_directory = shlib_directory is
 *	a legitimate layout that upstream postmulti rejects). A
 *	directory is claimed under its canonical spelling and, when it
 *	exists, under its device and inode, so that two spellings or a
 *	symbolic link cannot hide a conflict.
 *
 *	claims_check() returns the conflict, if any, that adding an
 *	instance would cause (life-cycle mode uses it before creating
 *	anything), or NULL. claims_check_as() is the same for an instance
 *	in the table (owner) that would change to look like as (assign's
 *	new name): its own claims are no conflict.
 *
 *	instance_match() applies a selection: -a, -g group, or -i with
 *	a name, the name without its "postfix-" prefix, a config
 *	directory (by spelling, or by device and inode: a symbolic link
 *	to it selects it too), or "-" for the primary. A damaged instance answers
 *	MATCH_UNKNOWN where its name or group would decide.
 *	insttab_find() returns the index of the one instance that -i
 *	selects (a damaged one only by its directory), or -1.
 *
 *	load_secondary() reads one secondary into inst; it returns -1
 *	and sets inst->damage when that fails.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "instance.h"
#include "defaults.h"
#include "msg.h"
#include "util.h"

 /*
  * Claiming for real (a listed instance), or only asking whether a claim
  * would conflict (one about to be created).
  */
enum claim_mode {
    CLAIM_CHECK,
    CLAIM_COMMIT,
};

 /*
  * A claim: a key (a name, a canonical path, or a device and inode) and
  * who holds it. Shared directories have no owner, so they may coincide
  * with each other but not with anything private.
  */
struct claim {
    char   *key;
    const struct instance *owner;	/* NULL: shared */
    const char *what;			/* "queue_directory" etc. */
    char   *value;
};

struct claims {
    struct claim *tab;			/* open addressing, power of 2 */
    size_t  cap;
    size_t  count;
};

/* primary_config_dir - the compiled-in config_directory */

const char *primary_config_dir(void)
{
    return (default_value("config_directory"));
}

/* claim_slot - where a key lives or would go */

static struct claim *claim_slot(struct claims *cl, const char *key)
{
    size_t  i = str_hash(key) & (cl->cap - 1);

    while (cl->tab[i].key && strcmp(cl->tab[i].key, key) != 0)
	i = (i + 1) & (cl->cap - 1);
    return (cl->tab + i);
}

/* claims_grow - keep the table at most half full */

static void claims_grow(struct claims *cl)
{
    struct claim *old = cl->tab;
    size_t  old_cap = cl->cap;

    if (2 * (cl->count + 1) <= cl->cap)
	return;
    cl->cap = old_cap ? 2 * old_cap : 256;
    cl->tab = xcalloc(cl->cap, sizeof(*cl->tab));
    for (size_t i = 0; i < old_cap; i++)
	if (old[i].key)
	    *claim_slot(cl, old[i].key) = old[i];
    free(old);
}

/* conflict - describe two claims on one thing */

static char *conflict(const struct claim *held, const struct instance *owner,
		              const char *what, const char *value, enum claim_mode mode)
{
    const char *whose = owner ? owner->config_dir : "the shared directories";
    const char *held_by = held->owner ? held->owner->config_dir : "the shared directories";

    /* Only an instance already listed can be listed twice. */
    if (mode == CLAIM_COMMIT && owner && held->owner && strcmp(what, "config_directory") == 0
	&& strcmp(held->what, "config_directory") == 0)
	return (held->owner->primary ?
		xasprintf("multi_instance_directories lists %s, the primary instance's"
			  " config_directory", value) :
		xasprintf("multi_instance_directories lists %s twice%s%s", held->value,
			  strcmp(held->value, value) ? ", also as " : "",
			  strcmp(held->value, value) ? value : ""));
    if (strcmp(what, "multi_instance_name") == 0)
	return (xasprintf("instance name \"%s\" of %s is also the name of %s",
			  value, whose, held_by));
    if (strcmp(held->value, value) == 0)
	return (xasprintf("%s %s of %s is also the %s of %s",
			  what, value, whose, held->what, held_by));
    return (xasprintf("%s %s of %s is the same directory as %s %s of %s",
		      what, value, whose, held->what, held->value, held_by));
}

/* claim_key - claim one key, or describe the conflict */

static char *claim_key(struct claims *cl, char *key, const struct instance *owner,
		               const char *what, const char *value, enum claim_mode mode)
{
    struct claim *c;

    claims_grow(cl);
    c = claim_slot(cl, key);
    if (c->key) {
	free(key);
	if (c->owner != owner)
	    return (conflict(c, owner, what, value, mode));
	return (0);
    }
    if (mode == CLAIM_CHECK) {
	free(key);
	return (0);
    }
    c->key = key;
    c->owner = owner;
    c->what = what;
    c->value = xstrdup(value);
    cl->count++;
    return (0);
}

/* claim_dir - claim a directory under its path and its inode */

static char *claim_dir(struct claims *cl, const struct instance *owner,
		               const char *what, const char *path, enum claim_mode mode)
{
    struct stat st;
    char   *err, *clean = path_clean(path);

    err = claim_key(cl, xasprintf("path:%s", clean), owner, what, path, mode);
    free(clean);
    if (err == 0 && stat(path, &st) == 0)
	err = claim_key(cl, xasprintf("inode:%lu:%lu", (unsigned long) st.st_dev,
				      (unsigned long) st.st_ino),
			owner, what, path, mode);
    return (err);
}

/* claim_instance - claim everything an instance owns */

static char *claim_instance(struct claims *cl, const struct instance *owner,
			             const struct instance *inst, enum claim_mode mode)
{
    char   *err = 0;

    /* The directory first: a directory listed twice is reported as such. */
    err = claim_dir(cl, owner, "config_directory", inst->config_dir, mode);
    if (err == 0 && *inst->name)
	err = claim_key(cl, xasprintf("name:%s", inst->name), owner,
			"multi_instance_name", inst->name, mode);
    if (err == 0 && inst->damage == 0)
	err = claim_dir(cl, owner, "queue_directory", inst->queue_dir, mode);
    if (err == 0 && inst->damage == 0)
	err = claim_dir(cl, owner, "data_directory", inst->data_dir, mode);
    return (err);
}

/* claims_check - the conflict that adding inst would cause, or NULL */

char   *claims_check(struct claims *cl, const struct instance *inst)
{
    return (claim_instance(cl, inst, inst, CLAIM_CHECK));
}

/* claims_check_as - the same for owner, were it changed to look like as */

char   *claims_check_as(struct claims *cl, const struct instance *owner,
			        const struct instance *as)
{
    return (claim_instance(cl, owner, as, CLAIM_CHECK));
}

/* claims_free - release the claim table */

static void claims_free(struct claims *cl)
{
    for (size_t i = 0; i < cl->cap; i++) {
	free(cl->tab[i].key);
	free(cl->tab[i].value);
    }
    free(cl->tab);
    free(cl);
}

/* eval_or_damage - evaluate a parameter; on error record the damage */

static char *eval_or_damage(struct instance *inst, MAINCF *cf, const char *name)
{
    char   *err = 0, *value;

    if (inst->damage)
	return (0);
    if ((value = maincf_eval(cf, name, &err)) == 0)
	inst->damage = err;
    return (value);
}

/* bad_private_dir - what is wrong with a private directory, or NULL */

static const char *bad_private_dir(const char *dir)
{
    char   *clean;
    int     root;

    if (dir[0] != '/')
	return ("is not an absolute path");
    clean = path_clean(dir);
    root = strcmp(clean, "/") == 0;
    free(clean);
    return (root ? "is the root directory" : 0);
}

/* check_private_dir - damage an instance whose directory is unusable */

static void check_private_dir(struct instance *inst, const char *what, const char *dir)
{
    const char *why;

    if (inst->damage == 0 && (why = bad_private_dir(dir)) != 0)
	inst->damage = xasprintf("%s/main.cf: %s \"%s\" %s",
				 inst->config_dir, what, dir, why);
}

/* as_postconf_prints - a secondary's value, as "postconf -x" prints it */

static char *as_postconf_prints(const struct instance *inst, char *value)
{
    strlist words = STRLIST_INIT;
    char   *folded;

    /*
     * Upstream postmulti reads a secondary's parameters from the output of
     * "postconf -xc DIR", which folds each run of white space to one space
     * and drops it at both ends (a computed $mynetworks ends in a space);
     * the primary's come from its own main.cf reader, unfolded.
     */
    if (value == 0 || inst->primary)
	return (value);
    sl_split(&words, value, " \t\r\n");
    folded = sl_join(&words, " ");
    sl_free(&words);
    free(value);
    return (folded);
}

/* load_params - evaluate what the table needs from one main.cf */

static void load_params(struct instance *inst, MAINCF *cf)
{
    char   *enable;

#define EVAL(name) as_postconf_prints(inst, eval_or_damage(inst, cf, (name)))

    inst->queue_dir = EVAL("queue_directory");
    inst->data_dir = EVAL("data_directory");
    inst->syslog_name = eval_or_damage(inst, cf, "syslog_name");
    inst->name = EVAL("multi_instance_name");
    inst->group = EVAL("multi_instance_group");
    if ((enable = EVAL("multi_instance_enable")) != 0) {
	if (strcasecmp(enable, "yes") == 0)
	    inst->enabled = 1;
	else if (strcasecmp(enable, "no") != 0)
	    inst->damage = xasprintf("%s: bad multi_instance_enable value"
				     " \"%s\": expected yes or no",
				     maincf_path(cf), enable);
	free(enable);
    }
    if (inst->damage == 0) {
	check_private_dir(inst, "queue_directory", inst->queue_dir);
	check_private_dir(inst, "data_directory", inst->data_dir);
    }
    if (inst->damage) {
	/* Nothing half-known: a damaged instance has no name or group. */
	free(inst->queue_dir);
	free(inst->data_dir);
	free(inst->syslog_name);
	free(inst->name);
	free(inst->group);
	inst->queue_dir = inst->data_dir = inst->syslog_name = 0;
	inst->name = xstrdup("");
	inst->group = xstrdup("");
	inst->enabled = 0;
    }
}

/* load_secondary - read one secondary instance */

int     load_secondary(struct instance *inst, const char *config_dir)
{
    MAINCF *cf;

    memset(inst, 0, sizeof(*inst));
    inst->config_dir = xstrdup(config_dir);
    if ((cf = maincf_load(config_dir, &inst->damage)) != 0) {
	load_params(inst, cf);
	maincf_free(cf);
    } else {
	inst->name = xstrdup("");
	inst->group = xstrdup("");
    }
    return (inst->damage ? -1 : 0);
}

/* primary_read - the primary's main.cf; any error is fatal */

MAINCF *primary_read(const char *config_dir)
{
    MAINCF *cf;
    char   *err;

    if ((cf = maincf_load(config_dir, &err)) == 0)
	msg_fatal("%s", err);
    return (cf);
}

/* primary_log_setup - log as the primary's main.cf says */

void    primary_log_setup(const MAINCF *cf)
{
    const char *tag = getenv("MAIL_LOGTAG");
    char   *name = maincf_eval_or_die(cf, "syslog_name", 0);
    char   *facility = maincf_eval_or_die(cf, "syslog_facility", 0);

    /* As Postfix programs do, prefer the tag that postfix(1) passes on. */
    if (tag == 0 || *tag == 0 || strlen(tag) > 64
	|| strspn(tag, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
		  "0123456789._+-@") != strlen(tag))
	tag = name;
    msg_syslog_init(tag, facility);

    /*
     * Like every Postfix program, pass the primary's syslog_name on to the
     * commands it runs (-x, -p, postfix set-permissions): scripts that log
     * with postlog find it there.
     */
    if (setenv("MAIL_LOGTAG", name, 1) < 0)
	msg_fatal("setenv MAIL_LOGTAG: %s", strerror(errno));
    free(name);
    free(facility);
}

/* check_instance_dir - validate one multi_instance_directories entry */

static void check_instance_dir(const MAINCF *cf, const char *dir)
{
    const char *why;

    if ((why = bad_private_dir(dir)) != 0)
	msg_fatal("%s: multi_instance_directories: \"%s\" %s",
		  maincf_path(cf), dir, why);
}

/* check_shared_dir - a shared directory must exist and be a directory */

static void check_shared_dir(const char *what, const char *dir)
{
    struct stat st;

    if (stat(dir, &st) < 0)
	msg_fatal("%s %s: %s", what, dir, strerror(errno));
    if (!S_ISDIR(st.st_mode))
	msg_fatal("%s %s: not a directory", what, dir);
}

/* insttab_load - build the instance table of the primary main.cf cf */

void    insttab_load(struct insttab *tab, MAINCF *cf, const char *config_dir)
{
    struct primary_conf *conf = &tab->conf;
    struct instance *primary;
    char   *err, *dirs;
    static const char *shared[] = {"command_directory", "daemon_directory", "shlib_directory"};

    memset(tab, 0, sizeof(*tab));
    conf->cf = cf;
    conf->command_dir = maincf_eval_or_die(conf->cf, "command_directory", 0);
    conf->daemon_dir = maincf_eval_or_die(conf->cf, "daemon_directory", 0);
    conf->meta_dir = maincf_eval_or_die(conf->cf, "meta_directory", 0);
    conf->shlib_dir = maincf_eval_or_die(conf->cf, "shlib_directory", 0);
    dirs = maincf_eval_or_die(conf->cf, "multi_instance_directories", 0);
    sl_split(&conf->instance_dirs, dirs, LIST_SEPARATORS);
    free(dirs);

    tab->v = xcalloc(conf->instance_dirs.n + 1, sizeof(*tab->v));
    primary = tab->v;
    primary->primary = 1;
    primary->config_dir = xstrdup(config_dir);
    load_params(primary, conf->cf);
    if (primary->damage)
	msg_fatal("%s", primary->damage);
    /* Single-instance mode: the primary is the one instance there is. */
    if (conf->instance_dirs.n == 0)
	primary->enabled = 1;
    tab->n = 1;

    tab->claims = xcalloc(1, sizeof(*tab->claims));
    for (size_t i = 0; i < sizeof(shared) / sizeof(shared[0]); i++) {
	const char *dir = i == 0 ? conf->command_dir :
	i == 1 ? conf->daemon_dir : conf->shlib_dir;

	if (dir[0] != '/')
	    continue;
	check_shared_dir(shared[i], dir);
	if ((err = claim_dir(tab->claims, 0, shared[i], dir, CLAIM_COMMIT)) != 0)
	    msg_fatal("%s", err);
    }
    if ((err = claim_instance(tab->claims, primary, primary, CLAIM_COMMIT)) != 0)
	msg_fatal("%s", err);

    for (size_t i = 0; i < conf->instance_dirs.n; i++) {
	struct instance *inst = tab->v + tab->n++;

	check_instance_dir(conf->cf, conf->instance_dirs.v[i]);
	load_secondary(inst, conf->instance_dirs.v[i]);
	if ((err = claim_instance(tab->claims, inst, inst, CLAIM_COMMIT)) != 0)
	    msg_fatal("%s", err);
    }
}

/* instance_free - release one instance */

void    instance_free(struct instance *inst)
{
    free(inst->config_dir);
    free(inst->queue_dir);
    free(inst->data_dir);
    free(inst->syslog_name);
    free(inst->name);
    free(inst->group);
    free(inst->damage);
}

/* insttab_free - release the table */

void    insttab_free(struct insttab *tab)
{
    for (size_t i = 0; i < tab->n; i++)
	instance_free(tab->v + i);
    free(tab->v);
    if (tab->claims)
	claims_free(tab->claims);
    maincf_free(tab->conf.cf);
    free(tab->conf.command_dir);
    free(tab->conf.daemon_dir);
    free(tab->conf.meta_dir);
    free(tab->conf.shlib_dir);
    sl_free(&tab->conf.instance_dirs);
    memset(tab, 0, sizeof(*tab));
}

/* same_directory - one directory, by spelling or by identity? */

static int same_directory(const char *arg, const char *config_dir)
{
    struct stat a, c;

    /* The spelling first: no system call for the common case. */
    if (path_same(arg, config_dir))
	return (1);
    /* A symbolic link, a bind mount: the same directory all the same. */
    return (stat(arg, &a) == 0 && stat(config_dir, &c) == 0
	    && S_ISDIR(a.st_mode) && a.st_dev == c.st_dev && a.st_ino == c.st_ino);
}

/* instance_match - does a selection cover an instance? */

enum match instance_match(const struct instance *inst, const struct selection *sel)
{
    const char *arg = sel->arg;
    size_t  plen = strlen(INSTANCE_NAME_PREFIX);

    switch (sel->kind) {
    case SELECT_NONE:
    case SELECT_ALL:
	return (MATCH_YES);
    case SELECT_GROUP:
	/* An instance without a group is in no group: -g '' selects nothing. */
	if (*arg == 0)
	    return (MATCH_NO);
	if (inst->damage)
	    return (MATCH_UNKNOWN);
	return (strcmp(inst->group, arg) == 0 ? MATCH_YES : MATCH_NO);
    case SELECT_NAME:
	if (strcmp(arg, "-") == 0)
	    return (inst->primary ? MATCH_YES : MATCH_NO);
	if (arg[0] == '/')
	    return (same_directory(arg, inst->config_dir) ? MATCH_YES : MATCH_NO);
	if (inst->damage)
	    return (MATCH_UNKNOWN);
	if (*inst->name == 0)
	    return (MATCH_NO);			/* only its directory selects it */
	if (strcmp(arg, inst->name) == 0)
	    return (MATCH_YES);
	/* "-i mumble" finds "postfix-mumble". */
	if (strncmp(arg, INSTANCE_NAME_PREFIX, plen) != 0
	    && strncmp(inst->name, INSTANCE_NAME_PREFIX, plen) == 0
	    && strcmp(arg, inst->name + plen) == 0)
	    return (MATCH_YES);
	return (MATCH_NO);
    }
    return (MATCH_NO);
}

/* insttab_find - the instance that "-i" names, or -1 */

ssize_t insttab_find(const struct insttab *tab, const struct selection *sel)
{
    for (size_t i = 0; i < tab->n; i++)
	if (instance_match(tab->v + i, sel) == MATCH_YES)
	    return ((ssize_t) i);
    return (-1);
}
