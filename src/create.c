/*
 * NAME
 *	create 3
 * SUMMARY
 *	life-cycle mode: -e init, create, import
 * SYNOPSIS
 *	#include "lifecycle.h"
 *
 *	void	create_plan_init(ctx)
 *	struct context *ctx;
 *
 *	void	create_plan_create(ctx)
 * DESCRIPTION
 *	create_plan_init() plans setting multi_instance_wrapper (the command
 *	that runs this program, see own_wrapper()) and
 *	multi_instance_enable = yes in the primary's main.cf; an
 *	equivalent setting is left alone. A copy of the program outside
 *	command_directory leaves a wrapper that is set as it is, and
 *	prefers $command_directory/postmulti where it exists, unless -W
 *	asks for its own path; it says on stderr what it did.
 *
 *	create_plan_create() plans a new instance: its three directories
 *	(default: the primary's with the last component replaced by the
 *	-I name), its main.cf made from $meta_directory/main.cf.proto
 *	(the shared parameters the primary sets copied, the others
 *	commented out; its own queue and data directories, no submission,
 *	no inet services; name and group), master.cf from
 *	master.cf.proto, installed main.cf first and master.cf last (its
 *	presence marks a complete instance), then the registration at
 *	the place -a, -g or -i say, then "postfix set-permissions" for
 *	after the lock. A config directory that already holds main.cf
 *	and master.cf is imported instead, as upstream does.
 *
 *	With ACTION_IMPORTS (-e import), or when the config directory
 *	already holds main.cf and master.cf, create_plan_create() plans the
 *	registration of an existing instance instead:
 *	its name and group, the queue and data directories it names if
 *	they are missing (set-permissions needs them), the registration,
 *	set-permissions. What would make postfix refuse its main.cf is
 *	refused before anything changes.
 * DIAGNOSTICS
 *	Fatal: a collision with another instance, a file in the way that
 *	postmulti did not write, a main.cf postfix would refuse.
 */
#include <errno.h>
#include <grp.h>
#include <limits.h>
#include <pwd.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "assign.h"
#include "create.h"
#include "edit.h"
#include "lifecycle.h"
#include "msg.h"
#include "registry.h"
#include "util.h"

 /*
  * Shared installation parameters: a new instance's main.cf gets the
  * primary's value where the primary sets one, else the line is
  * commented out so that the compiled-in default applies.
  */
static const char *shared_params[] = {
    "command_directory", "daemon_directory", "meta_directory", "mail_owner",
    "setgid_group", "sendmail_path", "mailq_path", "newaliases_path",
    "html_directory", "manpage_directory", "sample_directory",
    "readme_directory", "shlib_directory",
};

#define NSHARED		(sizeof(shared_params) / sizeof(shared_params[0]))

 /*
  * init
  */

/* own_path - this program's absolute path, fit for the wrapper, or NULL */

static char *own_path(struct context *ctx)
{
    char    self[4096];
    ssize_t len;

    if ((len = readlink("/proc/self/exe", self, sizeof(self) - 1)) < 0)
	return (0);
    self[len] = 0;
    for (const char *cp = self; *cp; cp++)
	if ((unsigned char) *cp <= ' ' || *cp == '$' || *cp == ',')
	    msg_fatal("cannot name %s in multi_instance_wrapper (white space, \"$\" or"
		      " \",\"): install postmulti as %s/postmulti",
		      self, ctx->tab.conf.command_dir);
    return (xstrdup(self));
}

/*
 * own_wrapper - the wrapper to write, or NULL to leave the one there. A
 * copy elsewhere (a build tree, a staging directory) never re-points a
 * wrapper that is set, nor writes its own path where the standard
 * program exists, unless -W asks for it: "postfix start" must not depend
 * on a file that "make clean" removes.
 */
static char *own_wrapper(struct context *ctx)
{
    static const char standard_wrapper[] = "${command_directory}/postmulti -p --";
    char   *standard = xasprintf("%s/postmulti", ctx->tab.conf.command_dir);
    const char *cur = maincf_get(ctx->tab.conf.cf, "multi_instance_wrapper");
    struct stat st_self, st_std;
    int     have_std = stat(standard, &st_std) == 0 && S_ISREG(st_std.st_mode)
    && access(standard, X_OK) == 0;
    char   *self, *wrapper;

    /* The usual case: we are $command_directory/postmulti. */
    if (stat("/proc/self/exe", &st_self) < 0
	|| (have_std && st_std.st_dev == st_self.st_dev && st_std.st_ino == st_self.st_ino)
	|| (self = own_path(ctx)) == 0) {
	free(standard);
	return (xstrdup(standard_wrapper));
    }
    wrapper = xasprintf("%s -p --", self);
    if (ctx->lc->own_wrapper) {
	msg_info("multi_instance_wrapper = %s: \"postfix start\" runs %s", wrapper, self);
    } else if (cur && *cur) {
	if (strcmp(cur, wrapper) != 0)
	    msg_warn("multi_instance_wrapper left as \"%s\": this program (%s) is not %s;"
		     " use -e init -W to point it here", cur, self, standard);
	free(wrapper);
	wrapper = 0;
    } else if (have_std) {
	msg_warn("multi_instance_wrapper = %s: \"postfix start\" runs %s, not this"
		 " program (%s); use -e init -W to point it here",
		 standard_wrapper, standard, self);
	free(wrapper);
	wrapper = xstrdup(standard_wrapper);
    } else {
	msg_warn("multi_instance_wrapper = %s: there is no %s, so \"postfix start\""
		 " runs this program where it is", wrapper, standard);
    }
    free(self);
    free(standard);
    return (wrapper);
}

/* create_plan_init - set the wrapper and enable the primary */

void    create_plan_init(struct context *ctx)
{
    char   *wrapper = own_wrapper(ctx);
    const char *cur = maincf_get(ctx->tab.conf.cf, "multi_instance_wrapper");
    const char *en = maincf_get(ctx->tab.conf.cf, "multi_instance_enable");
    struct edit_op ops[2];
    size_t  n = 0;

    /* Leave an equivalent setting alone: nothing to write. */
    if (wrapper && !(cur && strcmp(cur, wrapper) == 0))
	ops[n++] = (struct edit_op) {EDIT_SET, "multi_instance_wrapper", wrapper};
    if (!(en && strcmp(en, "yes") == 0) || n > 0)
	ops[n++] = (struct edit_op) {EDIT_SET, "multi_instance_enable", "yes"};
    if (n > 0)
	plan_edit(&ctx->plan, ctx->main_cf, ops, n);
    free(wrapper);
}

 /*
  * create and import
  */

struct newinst {
    char   *config_dir;
    char   *queue_dir;
    char   *data_dir;
    const char *name;			/* -I: NULL, "-" or a name */
    const char *group;			/* -G: NULL, "-" or a group */
};

/* sibling - the primary's directory with its last component replaced */

static char *sibling(const char *primary_dir, const char *name)
{
    const char *slash = strrchr(primary_dir, '/');

    return (xasprintf("%.*s/%s", (int) (slash - primary_dir), primary_dir, name));
}

/* default_dir - a private directory named after the new instance */

static char *default_dir(struct context *ctx, const char *param, const char *primary_dir)
{
    const char *name = ctx->lc->new_name;

    if (name == 0 || strcmp(name, "-") == 0)
	msg_fatal("-e %s: give the instance a name with -I, or give %s=",
		  ctx->action, param);
    /* Upstream fails in mkdir; say why, in a message of sensible length. */
    if (strlen(name) > NAME_MAX)
	msg_fatal("-e %s: -I %s: longer than %d bytes, too long for the default"
		  " %s; give %s=", ctx->action, msg_visible(name, 40), NAME_MAX,
		  param, param);
    return (sibling(primary_dir, name));
}

/* check_new_claims - the new instance must not collide with any other */

static void check_new_claims(struct context *ctx, struct instance *cand)
{
    const char *what[] = {"config_directory", "queue_directory", "data_directory"};
    const char *dirs[] = {cand->config_dir, cand->queue_dir, cand->data_dir};
    char   *err;

    /*
     * The claim table holds only registered instances, so it can't see
     * the new one's directories collide with each other.
     */
    for (size_t i = 0; i < 3; i++) {
	for (size_t j = i + 1; j < 3; j++) {
	    if (path_same(dirs[i], dirs[j]))
		msg_fatal("%s %s of %s is also its %s: an instance needs three"
			  " directories of its own", what[j], dirs[j], cand->config_dir,
			  what[i]);
	}
    }

    for (size_t i = 0; i < ctx->tab.n; i++) {
	int     same = path_same(ctx->tab.v[i].config_dir, cand->config_dir);

	if (same && ctx->tab.v[i].primary)
	    msg_fatal("%s is already the primary instance", cand->config_dir);
	/* Registration comes before set-permissions: say how to finish. */
	if (same)
	    msg_fatal("%s is already a registered instance (see postmulti -l); if"
		      " its create or import was interrupted, finish it with"
		      " \"postfix -c %s set-permissions\"", cand->config_dir,
		      cand->config_dir);
    }
    if ((err = claims_check(ctx->tab.claims, cand)) != 0)
	msg_fatal("%s", err);
}

/* read_proto - a prototype file from $meta_directory */

static void read_proto(struct context *ctx, const char *file, strbuf *out)
{
    char   *path = xasprintf("%s/%s", ctx->tab.conf.meta_dir, file);

    if (read_file(path, out, MAINCF_SIZE_LIMIT) < 0)
	msg_fatal("read prototype %s: %s", path, strerror(errno));
    free(path);
}

/* plan_install - install a new file, unless the same text is there */

static void plan_install(struct context *ctx, const char *path, strbuf *text,
			         const char *base_label, const strbuf *base)
{
    strbuf  cur = STRBUF_INIT;
    struct step *s;

    if (read_file(path, &cur, MAINCF_SIZE_LIMIT) == 0) {
	int     same = cur.len == text->len && memcmp(cur.s, text->s, cur.len) == 0;

	sb_free(&cur);
	/* Ours from an interrupted run: keep it. Anyone else's: refuse. */
	if (same) {
	    sb_free(text);
	    return;
	}
	msg_fatal("%s exists and is not the file postmulti would install: move it"
		  " away, or import the instance once both main.cf and master.cf exist",
		  path);
    }
    if (errno != ENOENT)
	msg_fatal("%s: %s", path, strerror(errno));
    sb_free(&cur);
    s = plan_add(&ctx->plan, STEP_WRITE, path);
    s->text = *text;
    memset(text, 0, sizeof(*text));
    s->base_label = xstrdup(base_label);
    sb_add(&s->base, base->s ? base->s : "", base->len);
}

/* name_op - set a new instance's name or group; "-" removes it */

static struct edit_op name_op(const char *param, const char *given)
{
    if (strcmp(given, "-") == 0)
	return ((struct edit_op) {EDIT_REMOVE, param, 0});
    return ((struct edit_op) {EDIT_SET, param, given});
}

/* new_main_cf - the stock main.cf made into the new instance's */

static void new_main_cf(struct context *ctx, const struct newinst *ni,
			        strbuf *proto, strbuf *out)
{
    /* Each shared parameter once, four of the instance's own, name, group. */
    struct edit_op ops[NSHARED + 4 + 2];
    size_t  n = 0, nshared = NSHARED;

    for (size_t i = 0; i < nshared; i++) {
	const char *v = maincf_get(ctx->tab.conf.cf, shared_params[i]);

	if (v == 0 || *v == 0)
	    ops[n++] = (struct edit_op) {EDIT_COMMENT, shared_params[i], 0};
    }
    ops[n++] = (struct edit_op) {EDIT_SET, "queue_directory", ni->queue_dir};
    ops[n++] = (struct edit_op) {EDIT_SET, "data_directory", ni->data_dir};
    ops[n++] = (struct edit_op) {EDIT_SET, "authorized_submit_users", ""};
    ops[n++] = (struct edit_op) {EDIT_SET, "master_service_disable", "inet"};
    for (size_t i = 0; i < nshared; i++) {
	const char *v = maincf_get(ctx->tab.conf.cf, shared_params[i]);

	if (v && *v)
	    ops[n++] = (struct edit_op) {EDIT_SET, shared_params[i], v};
    }
    /* "-" on a new instance: no definition at all, as upstream writes. */
    if (ni->name)
	ops[n++] = name_op("multi_instance_name", ni->name);
    if (ni->group)
	ops[n++] = name_op("multi_instance_group", ni->group);
    for (size_t i = 0; i < n; i++) {
	const char *why = edit_check(ops + i);

	if (why)
	    msg_fatal("cannot set %s: %s", ops[i].name, why);
    }
    final_newline(proto);
    edit_apply(proto->s ? proto->s : "", proto->len, ops, n, out);
}

/* has_instance_files - does a directory hold both main.cf and master.cf? */

static int has_instance_files(const char *dir)
{
    char   *m = xasprintf("%s/main.cf", dir), *s = xasprintf("%s/master.cf", dir);
    struct stat st;
    int     yes = stat(m, &st) == 0 && S_ISREG(st.st_mode)
    && stat(s, &st) == 0 && S_ISREG(st.st_mode);

    free(m);
    free(s);
    return (yes);
}

/* check_postfix_can_run - what "postfix set-permissions" needs of main.cf */

static void check_postfix_can_run(struct context *ctx, const char *config_dir)
{
    static const char *dir_params[] = {"command_directory", "daemon_directory"};
    MAINCF *cf;
    char   *err, *value, *prefix = xasprintf("-e %s: ", ctx->action);
    struct passwd *pw;
    struct group *gr;
    struct stat st;

    /*
     * set-permissions runs once the instance is registered, after the
     * lock is released: what would make it fail must stop the action
     * here, before anything has changed. These are the checks that
     * Postfix makes of a main.cf that create did not write.
     */
    if ((cf = maincf_load(config_dir, &err)) == 0)
	msg_fatal("-e %s: %s", ctx->action, err);
    for (size_t i = 0; i < sizeof(dir_params) / sizeof(dir_params[0]); i++) {
	value = maincf_eval_or_die(cf, dir_params[i], prefix);
	if (stat(value, &st) < 0 || !S_ISDIR(st.st_mode))
	    msg_fatal("-e %s: %s/main.cf: %s = %s is not a directory: postfix could"
		      " not run for this instance; nothing was changed",
		      ctx->action, config_dir, dir_params[i], value);
	free(value);
    }
    value = maincf_eval_or_die(cf, "mail_owner", prefix);
    if ((pw = getpwnam(value)) == 0 || pw->pw_uid == 0)
	msg_fatal("-e %s: %s/main.cf: mail_owner = %s is %s: postfix could not run"
		  " for this instance; nothing was changed", ctx->action,
		  config_dir, value, pw ? "the super-user" : "an unknown user");
    free(value);
    value = maincf_eval_or_die(cf, "setgid_group", prefix);
    if ((gr = getgrnam(value)) == 0 || gr->gr_gid == 0)
	msg_fatal("-e %s: %s/main.cf: setgid_group = %s is %s: postfix could not run"
		  " for this instance; nothing was changed", ctx->action,
		  config_dir, value, gr ? "the super-user's group" : "an unknown group");
    free(value);
    free(prefix);
    maincf_free(cf);
}

/* import_existing - register an existing instance */

static void import_existing(struct context *ctx, struct newinst *ni)
{
    struct instance cand;
    char   *path;

    if (!has_instance_files(ni->config_dir))
	msg_fatal("-e %s: %s must hold both main.cf and master.cf", ctx->action,
		  ni->config_dir);
    if (load_secondary(&cand, ni->config_dir) < 0)
	msg_fatal("-e %s: %s", ctx->action, cand.damage);
    if ((ni->queue_dir && strcmp(ni->queue_dir, cand.queue_dir) != 0)
	|| (ni->data_dir && strcmp(ni->data_dir, cand.data_dir) != 0))
	msg_fatal("%s is an existing instance with queue_directory %s and data_directory"
		  " %s: leave out queue_directory= and data_directory=",
		  ni->config_dir, cand.queue_dir, cand.data_dir);
    if (ni->name) {
	free(cand.name);
	cand.name = xstrdup(assign_final_value(ni->name, ""));
    }
    check_new_claims(ctx, &cand);
    check_postfix_can_run(ctx, ni->config_dir);

    /*
     * All or nothing: set-permissions cannot work in a queue directory
     * that is not there. Make what is missing as create would; undo
     * removes it again if a later step fails.
     */
    plan_mkdir(&ctx->plan, cand.queue_dir, 0755);
    plan_mkdir(&ctx->plan, cand.data_dir, 0700);
    path = lifecycle_main_cf(&cand);
    assign_names(ctx, path, ni->name, ni->group);
    registry_register(ctx, ni->config_dir, registry_placement(ctx));
    lifecycle_postfix(ctx, ni->config_dir, "set-permissions");
    free(path);
    instance_free(&cand);
}

/* create_plan_create - a new instance from the prototype files, or an existing one */

void    create_plan_create(struct context *ctx)
{
    const struct lifecycle *lc = ctx->lc;
    int     import = (lc->action->flags & ACTION_IMPORTS) != 0;
    struct newinst ni = {0};
    struct instance *primary = ctx->tab.v;
    struct instance cand = {0};
    strbuf  proto = STRBUF_INIT, master = STRBUF_INIT, text = STRBUF_INIT;
    strbuf  copy = STRBUF_INIT;
    char   *main_path, *master_path, *proto_label;

    ni.name = lc->new_name;
    ni.group = lc->new_group;
    ni.config_dir = lc->config_dir ? xstrdup(lc->config_dir) :
	default_dir(ctx, "config_directory", primary->config_dir);
    ni.queue_dir = lc->queue_dir ? xstrdup(lc->queue_dir) : 0;
    ni.data_dir = lc->data_dir ? xstrdup(lc->data_dir) : 0;

    /* Create over a complete instance is import, as upstream does. */
    if (import || has_instance_files(ni.config_dir)) {
	import_existing(ctx, &ni);
	goto done;
    }
    if (ni.queue_dir == 0)
	ni.queue_dir = default_dir(ctx, "queue_directory", primary->queue_dir);
    if (ni.data_dir == 0)
	ni.data_dir = default_dir(ctx, "data_directory", primary->data_dir);

    cand.config_dir = ni.config_dir;
    cand.queue_dir = ni.queue_dir;
    cand.data_dir = ni.data_dir;
    cand.name = xstrdup(assign_final_value(ni.name, ""));
    cand.group = xstrdup(assign_final_value(ni.group, ""));
    check_new_claims(ctx, &cand);
    free(cand.name);
    free(cand.group);

    read_proto(ctx, "main.cf.proto", &proto);
    read_proto(ctx, "master.cf.proto", &master);
    new_main_cf(ctx, &ni, &proto, &text);

    plan_mkdir(&ctx->plan, ni.config_dir, 0755);
    plan_mkdir(&ctx->plan, ni.queue_dir, 0755);
    plan_mkdir(&ctx->plan, ni.data_dir, 0700);
    main_path = xasprintf("%s/main.cf", ni.config_dir);
    master_path = xasprintf("%s/master.cf", ni.config_dir);
    proto_label = xasprintf("%s/main.cf.proto", ctx->tab.conf.meta_dir);
    /* main.cf first, master.cf last: its presence marks a complete instance. */
    plan_install(ctx, main_path, &text, proto_label, &proto);
    free(proto_label);
    proto_label = xasprintf("%s/master.cf.proto", ctx->tab.conf.meta_dir);
    sb_add(&copy, master.s ? master.s : "", master.len);
    plan_install(ctx, master_path, &copy, proto_label, &master);
    registry_register(ctx, ni.config_dir, registry_placement(ctx));
    lifecycle_postfix(ctx, ni.config_dir, "set-permissions");
    free(proto_label);
    free(main_path);
    free(master_path);
    sb_free(&proto);
    sb_free(&master);
    sb_free(&text);

done:
    free(ni.config_dir);
    free(ni.queue_dir);
    free(ni.data_dir);
}
