/*
 * NAME
 *	registry 3
 * SUMMARY
 *	life-cycle mode: the registration lists
 * SYNOPSIS
 *	#include "lifecycle.h"
 *
 *	void	registry_register(ctx, dir, pos)
 *	struct context *ctx;
 *	const char *dir;
 *	size_t	pos;
 *
 *	void	registry_unregister(ctx, dir, how)
 *	enum unregister how;
 *
 *	size_t	registry_placement(ctx)
 * DESCRIPTION
 *	An instance is registered when the primary's main.cf lists its
 *	config directory in multi_instance_directories; a deported one
 *	is listed in alternate_config_directories instead, so that
 *	Postfix commands still accept it. Directories are compared in
 *	canonical form.
 *
 *	registry_register() plans the edit that inserts dir at position pos of
 *	multi_instance_directories and drops it from
 *	alternate_config_directories.
 *
 *	registry_unregister() plans the edit that drops dir from
 *	multi_instance_directories, and adds it to (UNREGISTER_ALTERNATE)
 *	or drops it from (UNREGISTER_FORGET) alternate_config_directories.
 *
 *	registry_placement() is where -a, -g or -i put a new instance: last by
 *	default, first with -a, before the first member of the group with
 *	-g, before the secondary that -i names.
 * DIAGNOSTICS
 *	Fatal: a list that does not expand, a placement that matches no
 *	secondary.
 */
#include <stdlib.h>
#include <string.h>

#include "lifecycle.h"
#include "msg.h"
#include "registry.h"
#include "util.h"

/* list_without - a list value minus one directory, compared canonically */

static char *list_without(const strlist *list, const char *dir, int *found)
{
    strlist keep = STRLIST_INIT;
    char   *joined;

    *found = 0;
    for (size_t i = 0; i < list->n; i++) {
	if (path_same(list->v[i], dir))
	    *found = 1;
	else
	    sl_add(&keep, list->v[i]);
    }
    joined = sl_join(&keep, " ");
    sl_free(&keep);
    return (joined);
}

/* alternate_list - the primary's alternate_config_directories */

void    registry_alternates(struct context *ctx, strlist *list)
{
    char   *value = maincf_eval_or_die(ctx->tab.conf.cf, "alternate_config_directories", 0);

    sl_split(list, value, LIST_SEPARATORS);
    free(value);
}

/* plan_register - add a directory to multi_instance_directories at pos */

void registry_register(struct context *ctx, const char *dir, size_t pos)
{
    strlist dirs = STRLIST_INIT, alt = STRLIST_INIT;
    char   *joined;
    int     found;

    for (size_t i = 0; i < ctx->tab.conf.instance_dirs.n; i++)
	sl_add(&dirs, ctx->tab.conf.instance_dirs.v[i]);
    sl_insert(&dirs, pos, dir);
    joined = sl_join(&dirs, " ");
    plan_set(&ctx->plan, ctx->main_cf, "multi_instance_directories", joined);
    free(joined);
    registry_alternates(ctx, &alt);
    joined = list_without(&alt, dir, &found);
    if (found)
	plan_set(&ctx->plan, ctx->main_cf, "alternate_config_directories", joined);
    free(joined);
    sl_free(&dirs);
    sl_free(&alt);
}

/* plan_unregister - drop a directory from the lists; maybe list it as alternate */

void registry_unregister(struct context *ctx, const char *dir, enum unregister how)
{
    strlist alt = STRLIST_INIT;
    char   *joined;
    int     found;

    joined = list_without(&ctx->tab.conf.instance_dirs, dir, &found);
    plan_set(&ctx->plan, ctx->main_cf, "multi_instance_directories", joined);
    free(joined);
    registry_alternates(ctx, &alt);
    joined = list_without(&alt, dir, &found);
    if (how == UNREGISTER_ALTERNATE && !found) {
	char   *more = *joined ? xasprintf("%s %s", joined, dir) : xstrdup(dir);

	plan_set(&ctx->plan, ctx->main_cf, "alternate_config_directories", more);
	free(more);
    } else if (how == UNREGISTER_FORGET && found) {
	plan_set(&ctx->plan, ctx->main_cf, "alternate_config_directories", joined);
    }
    free(joined);
    sl_free(&alt);
}

/* placement - where -a, -g or -i put a new instance in the list */

size_t registry_placement(struct context *ctx)
{
    const struct selection *sel = &ctx->lc->sel;
    struct insttab *tab = &ctx->tab;

    if (sel->kind == SELECT_NONE)
	return (tab->conf.instance_dirs.n);
    if (sel->kind == SELECT_ALL)
	return (0);
    for (size_t i = 1; i < tab->n; i++)
	if (instance_match(tab->v + i, sel) == MATCH_YES)
	    return (i - 1);
    if (sel->kind == SELECT_GROUP)
	msg_fatal("-g %s: no secondary instance is a member of that group", sel->arg);
    msg_fatal("-i %s: no secondary instance matches; a new instance is placed"
	      " before a secondary instance", sel->arg);
}
