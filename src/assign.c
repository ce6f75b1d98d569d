/*
 * NAME
 *	assign 3
 * SUMMARY
 *	life-cycle mode: -e enable, disable, assign
 * SYNOPSIS
 *	#include "lifecycle.h"
 *
 *	void	assign_plan_enable(ctx)
 *	struct context *ctx;
 *
 *	void	assign_plan_disable(ctx)
 *
 *	void	assign_plan_assign(ctx)
 *
 *	const char *assign_final_value(given, current)
 *	const char *given;
 *	const char *current;
 *
 *	void	assign_names(ctx, path, name, group)
 *	const char *path;
 *	const char *name;
 *	const char *group;
 * DESCRIPTION
 *	assign_plan_enable() and assign_plan_disable() plan "postconf -e
 *	multi_instance_enable=yes|no" on the instance's main.cf, every
 *	time, as upstream does: the parameter is written even where its
 *	value is the default; a file that already says so in the same
 *	words is left alone.
 *
 *	assign_plan_assign() plans the new name and/or group (-I, -G) of an
 *	instance; the new name must not be another instance's. No change
 *	is no write.
 *
 *	assign_final_value() is what -I or -G (given, NULL when not given, "-"
 *	for none) make of a current value. assign_names() plans setting
 *	multi_instance_name and multi_instance_group in main.cf, each when
 *	given (not NULL).
 * DIAGNOSTICS
 *	Fatal: no such instance, a damaged one, a name in use.
 */
#include <stdlib.h>
#include <string.h>

#include "assign.h"
#include "lifecycle.h"
#include "msg.h"

/* final_value - what -I/-G make of a current value */

const char *assign_final_value(const char *given, const char *current)
{
    if (given == 0)
	return (current);
    return (strcmp(given, "-") == 0 ? "" : given);
}

/* plan_names - set name and group in an instance's main.cf text */

void    assign_names(struct context *ctx, const char *path, const char *name,
		           const char *group)
{
    if (name)
	plan_set(&ctx->plan, path, "multi_instance_name", assign_final_value(name, ""));
    if (group)
	plan_set(&ctx->plan, path, "multi_instance_group", assign_final_value(group, ""));
}

/* set_enable - set multi_instance_enable */

static void set_enable(struct context *ctx, const char *value)
{
    struct instance *inst = lifecycle_healthy_target(ctx);
    char   *path = lifecycle_main_cf(inst);

    plan_set(&ctx->plan, path, "multi_instance_enable", value);
    free(path);
}

/* assign_plan_enable - multi_instance_enable = yes */

void    assign_plan_enable(struct context *ctx)
{
    set_enable(ctx, "yes");
}

/* assign_plan_disable - multi_instance_enable = no */

void    assign_plan_disable(struct context *ctx)
{
    set_enable(ctx, "no");
}

/* assign_plan_assign - new name and/or group */

void    assign_plan_assign(struct context *ctx)
{
    const struct lifecycle *lc = ctx->lc;
    struct instance *inst = lifecycle_healthy_target(ctx);
    const char *name = 0, *group = 0;
    char   *path, *err;

    if (lc->new_name && strcmp(assign_final_value(lc->new_name, ""), inst->name) != 0)
	name = lc->new_name;
    if (lc->new_group && strcmp(assign_final_value(lc->new_group, ""), inst->group) != 0)
	group = lc->new_group;
    if (name == 0 && group == 0) {
	if (msg_verbose)
	    msg_info("%s: nothing to change", inst->config_dir);
	return;
    }
    if (name) {
	/* The same instance, claiming its new name. */
	struct instance renamed = *inst;

	renamed.name = xstrdup(assign_final_value(name, ""));
	err = claims_check_as(ctx->tab.claims, inst, &renamed);
	free(renamed.name);
	if (err)
	    msg_fatal("%s", err);
    }
    path = lifecycle_main_cf(inst);
    assign_names(ctx, path, name, group);
    free(path);
}
