/*
 * NAME
 *	lifecycle 3
 * SUMMARY
 *	life-cycle mode: -e init, create, import, ...
 * SYNOPSIS
 *	#include "lifecycle.h"
 *
 *	void	lifecycle_check(lc)
 *	struct lifecycle *lc;
 *
 *	int	lifecycle_run(lc)
 *	struct lifecycle *lc;
 *
 *	struct instance *lifecycle_target(ctx)
 *	struct context *ctx;
 *
 *	struct instance *lifecycle_healthy_target(ctx)
 *
 *	char	*lifecycle_main_cf(inst)
 *	const struct instance *inst;
 *
 *	void	lifecycle_postfix(ctx, config_dir, command)
 *	const char *config_dir;
 *	const char *command;
 *
 *	int	lifecycle_postfix_status(ctx, config_dir)
 * DESCRIPTION
 *	lifecycle_check() checks the -I name, the -G group and the
 *	param=value arguments, and keeps the directories they give in lc;
 *	main() calls it with the other usage checks of its action table,
 *	before anything is read.
 *
 *	lifecycle_run() carries out one -e action and returns the exit
 *	status. Every action goes the same way:
 *
 *	1. Take the multi-instance configuration lock (the primary's
 *	   config directory, see cfwrite.c) and read the instance table
 *	   under it, so that concurrent runs see each other's changes.
 *
 *	2. Check everything and make a plan (plan(3)): the action's
 *	   planning function (create.c, assign.c, remove.c) computes the
 *	   new text of each file in memory with the postconf-compatible
 *	   editor. Any problem is fatal here, before anything has changed.
 *	   With -n (dry run) the plan is checked against the file
 *	   system as the real run would meet it (plan_check(): write
 *	   access, read-only file systems, immutable files; a refusal is
 *	   fatal, in the words of the real run), then printed (unified
 *	   diffs of the files), and nothing else happens.
 *
 *	3. Carry out the plan, all or nothing: when a step fails, what
 *	   was done is undone. The registration in the primary's main.cf
 *	   is the last change, even when the program is killed: a new
 *	   instance is registered only once it is whole, and one being
 *	   destroyed stays registered until its files are gone, so that
 *	   the same command, run again, finds it and finishes the job.
 *
 *	4. Release the lock, then run "postfix set-permissions" if the
 *	   action needs it (holding the lock would serialize concurrent
 *	   creates for nothing). The postfix processes get a clean
 *	   environment built from import_environment and are run by
 *	   absolute path.
 *
 *	The other functions serve the planning functions: lifecycle_target() is
 *	the instance that -i names, lifecycle_healthy_target() the same, which must
 *	not be damaged; lifecycle_main_cf() the path of its main.cf;
 *	lifecycle_postfix() plans "postfix -c config_dir command" for after
 *	the lock; lifecycle_postfix_status() says whether an instance runs.
 *
 *	Diagnostics follow msg(3).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cfwrite.h"
#include "command.h"
#include "lifecycle.h"
#include "msg.h"
#include "registry.h"
#include "util.h"

#define NAME_PUNCT	"!@%-_=+:."	/* and letters and digits */
#define GROUP_PUNCT	NAME_PUNCT "/"
#define ISALNUM(c)	(((c) >= 'a' && (c) <= 'z') || ((c) >= 'A' && (c) <= 'Z') \
			 || ((c) >= '0' && (c) <= '9'))

 /*
  * Validation of what the user typed.
  */

/* check_name - an instance name (-I) or group (-G) */

static void check_name(const char *opt, const char *value, const char *punct)
{
    if (strcmp(value, "-") == 0)
	return;
    for (const char *cp = value; *cp; cp++)
	if (!ISALNUM(*cp) && strchr(punct, *cp) == 0)
	    msg_fatal("-%s \"%s\": only letters, digits and %s are allowed",
		      opt, msg_visible(value, 80), punct);
}

/* check_dir_param - a directory given as name=value */

static char *check_dir_param(const char *param, const char *value)
{
    char   *dir = xstrdup(value), *clean;
    size_t  len = strlen(dir);

    if (dir[0] != '/')
	msg_fatal("%s=%s: not an absolute path", param, msg_visible(value, 100));
    while (len > 1 && dir[len - 1] == '/')
	dir[--len] = 0;
    if (strcmp(dir, "/") == 0)
	msg_fatal("%s=%s: the root directory cannot be an instance directory", param, value);
    for (const char *cp = dir; *cp; cp++)
	if ((unsigned char) *cp <= ' ' || *cp == ',' || *cp == '$' || *cp == 0x7f)
	    msg_fatal("%s=%s: white space, control characters, \",\" and"
		      " \"$\" are not allowed in a directory name", param,
		      msg_visible(value, 100));
    clean = path_clean(dir);
    if (strcmp(clean, dir) != 0)
	msg_fatal("%s=%s: not in canonical form (\"//\", \".\" or \"..\"); did you mean %s?",
		  param, value, clean);
    free(clean);
    return (dir);
}

/* lifecycle_check - -I, -G and param=value, before anything is read */

void    lifecycle_check(struct lifecycle *lc)
{
    const char *action = lc->action->name;
    int     import = (lc->action->flags & ACTION_IMPORTS) != 0;
    size_t  plen = strlen(INSTANCE_NAME_PREFIX);

    /* An empty -I or -G is "-", as upstream has it. */
    if (lc->new_name && *lc->new_name == 0)
	lc->new_name = "-";
    if (lc->new_group && *lc->new_group == 0)
	lc->new_group = "-";
    if (lc->new_name) {
	check_name("I", lc->new_name, NAME_PUNCT);
	/* "postfix-" alone is a name, as upstream has it. */
	if (strcmp(lc->new_name, "-") != 0
	    && strncmp(lc->new_name, INSTANCE_NAME_PREFIX, plen) != 0)
	    msg_fatal("-I \"%s\": an instance name must start with \"%s\"",
		      lc->new_name, INSTANCE_NAME_PREFIX);
    }
    if (lc->new_group)
	check_name("G", lc->new_group, GROUP_PUNCT);
    for (char **cpp = lc->params; *cpp; cpp++) {
	char   *eq = strchr(*cpp, '=');
	char  **slot;
	char   *param;

	if (eq == 0 && **cpp == '-')
	    msg_fatal("-e %s: \"%s\": options must come before name=value arguments",
		      action, *cpp);
	if (eq == 0)
	    msg_fatal("-e %s: \"%s\": expected name=value", action, *cpp);
	param = xstrndup(*cpp, (size_t) (eq - *cpp));
	if (strcmp(param, "config_directory") == 0)
	    slot = &lc->config_dir;
	else if (!import && strcmp(param, "queue_directory") == 0)
	    slot = &lc->queue_dir;
	else if (!import && strcmp(param, "data_directory") == 0)
	    slot = &lc->data_dir;
	else
	    msg_fatal("-e %s: \"%s\": only %s can be given", action, *cpp,
		      import ? "config_directory=" :
		      "config_directory=, queue_directory= and data_directory=");
	if (*slot)
	    msg_fatal("-e %s: %s given twice", action, param);
	*slot = check_dir_param(param, eq + 1);
	free(param);
    }
}

 /*
  * Helpers of the planning functions.
  */


/* check_init - life-cycle actions need "postmulti -e init" first */

static void check_init(struct context *ctx)
{
    char   *err, *wrapper;
    int     enabled;

    wrapper = maincf_eval_or_die(ctx->tab.conf.cf, "multi_instance_wrapper", 0);
    if (*wrapper == 0)
	msg_fatal("multi_instance_wrapper is empty in %s: run \"postmulti -e init\" first",
		  ctx->main_cf);
    free(wrapper);
    if (maincf_bool(ctx->tab.conf.cf, "multi_instance_enable", &enabled, &err) < 0)
	msg_fatal("%s", err);
    if (!enabled)
	msg_fatal("multi_instance_enable is not \"yes\" in %s: run \"postmulti -e init\" first",
		  ctx->main_cf);
}

/* deported - is a directory in alternate_config_directories? */

static int deported(struct context *ctx, const char *dir)
{
    strlist list = STRLIST_INIT;
    int     found = 0;

    registry_alternates(ctx, &list);
    for (size_t i = 0; i < list.n && !found; i++)
	found = path_same(list.v[i], dir);
    sl_free(&list);
    return (found);
}

/* target - the existing instance that -i names */

struct instance *lifecycle_target(struct context *ctx)
{
    const struct lifecycle *lc = ctx->lc;
    ssize_t i;

    /* main() made sure of it. */
    if (lc->sel.kind != SELECT_NAME)
	msg_panic("target: -e %s without -i name", ctx->action);
    if ((i = insttab_find(&ctx->tab, &lc->sel)) < 0) {
	strlist maybe = STRLIST_INIT;

	/*
	 * A damaged instance has no name we can know; an interrupted
	 * destroy leaves one behind, and the same command must say how to
	 * finish it.
	 */
	for (size_t j = 0; j < ctx->tab.n; j++)
	    if (instance_match(ctx->tab.v + j, &lc->sel) == MATCH_UNKNOWN)
		sl_add(&maybe, ctx->tab.v[j].config_dir);
	if (maybe.n > 0)
	    msg_fatal("-e %s: no instance matches \"-i %s\"; a damaged instance"
		      " can be selected only by its config directory: -i %s",
		      ctx->action, lc->sel.arg, sl_join(&maybe, " or -i "));
	if (lc->sel.arg[0] == '/' && deported(ctx, lc->sel.arg))
	    msg_fatal("-e %s: %s is deported (it is in alternate_config_directories):"
		      " import it first with \"postmulti -e import config_directory=%s\"",
		      ctx->action, lc->sel.arg, lc->sel.arg);
	for (size_t j = 0; j < ctx->tab.n; j++)
	    if (!ctx->tab.v[j].primary && !ctx->tab.v[j].damage)
		sl_add(&maybe, *ctx->tab.v[j].name ? ctx->tab.v[j].name : ctx->tab.v[j].config_dir);
	msg_fatal("-e %s: no instance matches \"-i %s\"; the secondary instances: %s",
		  ctx->action, lc->sel.arg, maybe.n ? sl_join(&maybe, ", ") : "none");
    }
    return (ctx->tab.v + i);
}

/* healthy_target - the target, which must have a usable main.cf */

struct instance *lifecycle_healthy_target(struct context *ctx)
{
    struct instance *inst = lifecycle_target(ctx);

    if (inst->damage)
	msg_fatal("-e %s: instance %s is damaged: %s", ctx->action,
		  inst->config_dir, inst->damage);
    return (inst);
}

/* instance_main_cf - path of an instance's main.cf */

char   *lifecycle_main_cf(const struct instance *inst)
{
    return (xasprintf("%s/main.cf", inst->config_dir));
}

/* plan_postfix - plan a postfix command for after the lock */

void    lifecycle_postfix(struct context *ctx, const char *config_dir, const char *cmd)
{
    struct step *s = plan_add(&ctx->plan, STEP_RUN, 0);

    sl_add_owned(&s->argv, xasprintf("%s/postfix", ctx->tab.conf.command_dir));
    sl_add(&s->argv, "-c");
    sl_add(&s->argv, config_dir);
    sl_add(&s->argv, cmd);
    s->hint = xstrdup("the instance is registered; run that command again once"
		      " the problem is fixed");
}

/* postfix_env - the clean environment of the postfix commands we run */

static void postfix_env(const struct context *ctx, strlist *env)
{
    char   *imports = maincf_eval_or_die(ctx->tab.conf.cf, "import_environment", 0);

    env_import(env, imports);
    free(imports);
}

/* postfix_status - is the instance running? ("postfix status" succeeds) */

int     lifecycle_postfix_status(const struct context *ctx, const char *config_dir)
{
    strlist env = STRLIST_INIT;
    char   *postfix = xasprintf("%s/postfix", ctx->tab.conf.command_dir);
    char   *argv[] = {postfix, "-c", (char *) config_dir, "status", 0};
    int     status;

    postfix_env(ctx, &env);
    status = command_run(argv[0], argv, &env, COMMAND_QUIET);
    sl_free(&env);
    free(postfix);
    return (status == 0);
}

/* report_leftovers - what destroy left behind */

static void report_leftovers(struct context *ctx)
{
    struct leftovers *left = &ctx->plan.leftovers;

    for (size_t i = 0; i < left->path.n; i++)
	msg_warn("%s: left in place (%s): please verify its contents and remove it"
		 " by hand", left->path.v[i], left->why.v[i]);
}

/* lifecycle_run - carry out one -e action */

int     lifecycle_run(struct lifecycle *lc)
{
    struct context ctx = {0};
    strbuf  out = STRBUF_INIT;
    strlist env = STRLIST_INIT;
    char   *err;
    MAINCF *cf;
    int     lock_fd, status = 0;

    umask(022);
    ctx.lc = lc;
    ctx.action = lc->action->name;
    if ((lock_fd = cf_lock(primary_config_dir(), &err)) < 0)
	msg_fatal("%s", err);
    cf = primary_read(primary_config_dir());
    primary_log_setup(cf);
    insttab_load(&ctx.tab, cf, primary_config_dir());
    ctx.main_cf = xasprintf("%s/main.cf", primary_config_dir());
    if (lc->action->flags & ACTION_NEEDS_INIT)
	check_init(&ctx);
    lc->action->plan(&ctx);

    if (lc->dry_run) {
	/* Refuse what the real run would find it may not do. */
	if (plan_check(&ctx.plan, &err) < 0)
	    msg_fatal("%s", err);
	sb_printf(&out, "postmulti: dry run of -e %s: nothing is changed\n", ctx.action);
	plan_print(&ctx.plan, &out);
	fwrite(out.s, 1, out.len, stdout);
	sb_free(&out);
	if (fflush(stdout) != 0)
	    msg_fatal("write standard output: %s", strerror(errno));
	cf_unlock(lock_fd);
    } else {
	/* Whatever can fail is done before the first change. */
	if (plan_has(&ctx.plan, STEP_RUN))
	    postfix_env(&ctx, &env);
	if (plan_apply(&ctx.plan, &err) < 0)
	    msg_fatal("%s", err);
	cf_unlock(lock_fd);
	report_leftovers(&ctx);
	status = plan_commands(&ctx.plan, &env);
	sl_free(&env);
    }
    plan_free(&ctx.plan);
    insttab_free(&ctx.tab);
    free(ctx.main_cf);
    free(lc->config_dir);
    free(lc->queue_dir);
    free(lc->data_dir);
    return (status);
}
