/*
 * NAME
 *	remove 3
 * SUMMARY
 *	life-cycle mode: -e deport, destroy
 * SYNOPSIS
 *	#include "lifecycle.h"
 *
 *	void	remove_plan_deport(ctx)
 *	struct context *ctx;
 *
 *	void	remove_plan_destroy(ctx)
 * DESCRIPTION
 *	Both take a secondary instance that is disabled and not running.
 *
 *	remove_plan_deport() plans its move from multi_instance_directories to
 *	alternate_config_directories; its files stay.
 *
 *	remove_plan_destroy() checks everything first: the directories are
 *	directories (not symbolic links), the queue holds no message,
 *	nothing stands in the way of a removal (sweep(3) looks without
 *	acting, write access to each directory and its parent). Then it
 *	plans the removal of what Postfix made: master.cf first (without
 *	it the instance is incomplete, not live), the queue and data
 *	directories, main.cf, the config directory, and the
 *	unregistration last, so that an interrupted destroy stays
 *	registered and the same command finishes it. The removals cannot
 *	be undone: their steps say how to finish, and when a later step
 *	fails, plan(3) first warns about each of them that removed
 *	something ("-e destroy: removed path": a directory once, with
 *	its contents).
 *
 *	An instance whose main.cf is gone (an earlier destroy got that
 *	far, or someone removed it) is only unregistered.
 * DIAGNOSTICS
 *	Fatal: the primary, an enabled or running instance, a damaged
 *	one that still has a main.cf, a message in the queue, a removal
 *	that could not happen.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "lifecycle.h"
#include "master.h"
#include "msg.h"
#include "registry.h"
#include "remove.h"
#include "sweep.h"
#include "util.h"

/* check_removable - deport and destroy: a stopped, disabled secondary */

static void check_removable(struct context *ctx, struct instance *inst,
			            const char *done)
{
    const char *how = ctx->action;
    struct master_state ms;

    if (inst->primary)
	msg_fatal("-e %s: the primary instance cannot be %s", how, done);
    if (inst->enabled)
	msg_fatal("-e %s: instance %s is enabled: first run \"postmulti -i %s -e disable\"",
		  how, inst->config_dir, *inst->name ? inst->name : inst->config_dir);

    /*
     * "postfix status" waits while the instance's main.cf is younger than
     * two seconds (as after "-e disable"), and we hold the lock: every
     * other life-cycle action would wait too. A master that its pid file
     * does not name, or that is not alive, is not running; only the
     * other answers need postfix's own word (a stale pid file may name
     * another instance's master).
     */
    master_state(inst->queue_dir, &ms);
    if (ms.run != MASTER_STOPPED && lifecycle_postfix_status(ctx, inst->config_dir))
	msg_fatal("-e %s: instance %s is running: first run \"postfix -c %s stop\"",
		  how, inst->config_dir, inst->config_dir);
}

/* main_cf_gone - is a damaged instance's main.cf simply not there? */

static int main_cf_gone(const struct instance *inst)
{
    char   *path = lifecycle_main_cf(inst);
    struct stat st;
    int     gone = lstat(path, &st) < 0 && errno == ENOENT;

    free(path);
    return (gone);
}

/* remove_plan_deport - unregister, keep the files */

void    remove_plan_deport(struct context *ctx)
{
    struct instance *inst = lifecycle_target(ctx);

    if (inst->damage) {
	if (inst->primary || !main_cf_gone(inst))
	    msg_fatal("-e deport: instance %s is damaged: %s", inst->config_dir, inst->damage);
	/* Already deleted: nothing to keep track of. */
	registry_unregister(ctx, inst->config_dir, UNREGISTER_FORGET);
	return;
    }
    check_removable(ctx, inst, "deported");
    registry_unregister(ctx, inst->config_dir, UNREGISTER_ALTERNATE);
}

/* check_writable - destroy must be able to remove what is in a directory */

static void check_writable(const char *dir)
{
    char   *why;

    if ((why = sweep_writable(AT_FDCWD, dir, dir)) != 0)
	msg_fatal("-e destroy: %s; nothing was changed", why);
}

/* check_parent_writable - ... and to remove the directory itself */

static void check_parent_writable(const char *dir)
{
    char   *clean = path_clean(dir), *slash = strrchr(clean, '/');

    if (slash != 0) {
	/* The parent of "/x" is "/". */
	slash[slash == clean ? 1 : 0] = 0;
	check_writable(clean);
    }
    free(clean);
}

/* removal - a step that removes: if a later one fails, say what went and how to finish */

static struct step *removal(struct context *ctx, struct instance *inst, struct step *s)
{
    /* Removed files can't come back; the next run finishes the job. */
    s->resume = xasprintf("the instance is partly removed and still registered:"
			  " fix that, then run \"postmulti -i %s -e %s\"",
			  inst->config_dir, ctx->action);
    s->label = xasprintf("-e %s", ctx->action);
    return (s);
}

/* remove_plan_destroy - check everything, then plan the removal */

void    remove_plan_destroy(struct context *ctx)
{
    struct instance *inst = lifecycle_target(ctx);
    struct sweep look = {0};
    struct leftovers seen = {STRLIST_INIT, STRLIST_INIT};
    struct stat st;
    char   *path;

    if (inst->damage) {
	if (inst->primary || !main_cf_gone(inst))
	    msg_fatal("-e destroy: instance %s is damaged: %s", inst->config_dir, inst->damage);
	/* An earlier destroy got as far as main.cf: finish it. */
	msg_warn("%s/main.cf is gone: unregistering %s; its queue and data directories,"
		 " if any, are unknown and left alone", inst->config_dir, inst->config_dir);
	removal(ctx, inst, plan_add(&ctx->plan, STEP_RMDIR, inst->config_dir));
	registry_unregister(ctx, inst->config_dir, UNREGISTER_FORGET);
	return;
    }
    check_removable(ctx, inst, "destroyed");

    /* Directories must be directories, not symbolic links. */
    if (lstat(inst->config_dir, &st) < 0 || !S_ISDIR(st.st_mode))
	msg_fatal("-e destroy: %s is not a directory", inst->config_dir);
    /* What stays is reported once, by the sweep that acts. */
    look.left = &seen;
    sweep(&look, inst->queue_dir, ROLE_QUEUE);
    sweep(&look, inst->data_dir, ROLE_DATA);
    if (look.refuse)
	msg_fatal("-e destroy: %s; nothing was changed", look.refuse);

    /*
     * Removed files can't come back: a read-only or immutable directory
     * must stop destroy before it starts, not half way.
     */
    check_writable(inst->config_dir);
    check_parent_writable(inst->config_dir);
    check_parent_writable(inst->queue_dir);
    check_parent_writable(inst->data_dir);
    check_writable(ctx->tab.v[0].config_dir);
    if (look.messages)
	msg_fatal("-e destroy: the queue of %s holds %zu message file%s: deliver or"
		  " delete them first (postqueue -c %s -p)", inst->config_dir,
		  look.messages, look.messages == 1 ? "" : "s", inst->config_dir);
    sl_free(&look.removed);
    left_free(&seen);

    /* master.cf first: without it the instance is incomplete, not live. */
    path = xasprintf("%s/master.cf", inst->config_dir);
    removal(ctx, inst, plan_add(&ctx->plan, STEP_UNLINK, path));
    free(path);
    removal(ctx, inst, plan_add(&ctx->plan, STEP_SWEEP, inst->queue_dir))->role = ROLE_QUEUE;
    removal(ctx, inst, plan_add(&ctx->plan, STEP_SWEEP, inst->data_dir))->role = ROLE_DATA;
    path = lifecycle_main_cf(inst);
    removal(ctx, inst, plan_add(&ctx->plan, STEP_UNLINK, path));
    free(path);
    removal(ctx, inst, plan_add(&ctx->plan, STEP_RMDIR, inst->config_dir));
    registry_unregister(ctx, inst->config_dir, UNREGISTER_FORGET);
}
