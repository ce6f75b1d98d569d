/*
 * NAME
 *	postmulti 1
 * SUMMARY
 *	Postfix multi-instance manager
 * SYNOPSIS
 *	postmulti -e init [-nv]
 *
 *	postmulti -l [-aRjsv] [-g group] [-i name]
 *	postmulti -p [-av] [-g group] [-i name] command...
 *	postmulti -x [-aRv] [-g group] [-i name] command...
 *	postmulti -L [-jv]
 *	postmulti -m [-aRv] [-g group] [-i name] [-O file]
 *	postmulti -k [-av] [-g group] [-i name] [-w limits] [-c limits]
 *
 *	postmulti -e create [-anv] [-g group] [-i name] [-G group]
 *		[-I name] [param=value ...]
 *	postmulti -e import [-anv] [-g group] [-i name] [-G group]
 *		[-I name] [config_directory=/path]
 *	postmulti -e destroy|deport|enable|disable [-nv] -i name
 *	postmulti -e assign [-nv] -i name [-I name] [-G group]
 *
 *	postfix-instance-generator normal-dir [early-dir late-dir]
 * DESCRIPTION
 *	main() reads the command line, refuses what does not make
 *	sense, loads the instance table and hands over to iterator
 *	mode (iterate.c) or life-cycle mode (lifecycle.c). The -e
 *	actions and the rules of their command lines are the table
 *	below: every usage error is refused before the lock is taken
 *	or any main.cf is read. See man/postmulti.1. Run as
 *	postfix-instance-generator, it is the systemd generator of
 *	generator.c.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "assign.h"
#include "create.h"
#include "generator.h"
#include "instance.h"
#include "iterate.h"
#include "lifecycle.h"
#include "lint.h"
#include "monitor.h"
#include "qwork.h"
#include "msg.h"
#include "remove.h"
#include "util.h"

 /*
  * The -e actions, in the order the messages name them.
  */
static const struct action actions[] = {
    {.name = "init", .plan = create_plan_init, .flags = 0},
    {.name = "create", .plan = create_plan_create,
    .flags = ACTION_NEEDS_INIT | ACTION_PARAMS | ACTION_NAMES | ACTION_PLACES},
    {.name = "import", .plan = create_plan_create,
    .flags = ACTION_NEEDS_INIT | ACTION_PARAMS | ACTION_NAMES | ACTION_PLACES | ACTION_IMPORTS},
    {.name = "destroy", .plan = remove_plan_destroy, .flags = ACTION_NEEDS_INIT | ACTION_TARGET},
    {.name = "deport", .plan = remove_plan_deport, .flags = ACTION_NEEDS_INIT | ACTION_TARGET},
    {.name = "enable", .plan = assign_plan_enable, .flags = ACTION_NEEDS_INIT | ACTION_TARGET},
    {.name = "disable", .plan = assign_plan_disable, .flags = ACTION_NEEDS_INIT | ACTION_TARGET},
    {.name = "assign", .plan = assign_plan_assign,
    .flags = ACTION_NEEDS_INIT | ACTION_TARGET | ACTION_NAMES | ACTION_RENAMES},
};

#define NACTIONS	(sizeof(actions) / sizeof(actions[0]))

/* action_names - "a, b or c": the actions with all of the flags */

static char *action_names(int flags)
{
    strlist names = STRLIST_INIT;
    strbuf  out = STRBUF_INIT;

    for (size_t i = 0; i < NACTIONS; i++)
	if ((actions[i].flags & flags) == flags)
	    sl_add(&names, actions[i].name);
    for (size_t i = 0; i < names.n; i++)
	sb_printf(&out, "%s%s", i == 0 ? "" : i + 1 < names.n ? ", " : " or ",
		  names.v[i]);
    sl_free(&names);
    return (sb_take(&out));
}

/* find_action - the -e action of that name */

static const struct action *find_action(const char *name)
{
    for (size_t i = 0; i < NACTIONS; i++)
	if (strcmp(actions[i].name, name) == 0)
	    return (actions + i);
    msg_fatal("invalid -e action \"%s\": specify %s", name, action_names(0));
}

/* check_action - the command line of an action, by the table */

static void check_action(struct lifecycle *lc)
{
    const struct action *act = lc->action;

    if ((lc->new_name || lc->new_group) && !(act->flags & ACTION_NAMES))
	msg_fatal("-I and -G can be used only with -e %s", action_names(ACTION_NAMES));
    if (*lc->params && !(act->flags & ACTION_PARAMS))
	msg_fatal("-e %s: unexpected argument \"%s\"", act->name, *lc->params);
    /* init concerns the primary alone; like upstream, it ignores -a and -g. */
    if (lc->sel.kind != SELECT_NAME && (act->flags & (ACTION_PLACES | ACTION_TARGET))
	&& (lc->sel.kind != SELECT_NONE ? !(act->flags & ACTION_PLACES)
	    : (act->flags & ACTION_TARGET)))
	msg_fatal("-e %s: select the instance with -i name", act->name);
    if (lc->own_wrapper && act->plan != create_plan_init)
	msg_fatal("-W can be used only with -e init");
    if ((act->flags & ACTION_RENAMES) && !lc->new_name && !lc->new_group)
	msg_fatal("-e %s: give a new name with -I and/or a new group with -G", act->name);
    lifecycle_check(lc);
}

/* check_mail_config - only the default instance can be the primary */

static void check_mail_config(void)
{
    const char *env = getenv("MAIL_CONFIG");

    if (env != 0 && (*env != '/' || !path_same(env, primary_config_dir())))
	msg_fatal("non-default configuration directory: MAIL_CONFIG=%s", env);
}

/* long_option - the "--word" that getopt() stopped at */

static const char *long_option(int argc, char **argv)
{
    if (optind < argc && strncmp(argv[optind], "--", 2) == 0)
	return (argv[optind]);
    if (optind > 0 && optind - 1 < argc && strncmp(argv[optind - 1], "--", 2) == 0)
	return (argv[optind - 1]);
    return ("--");
}

int     main(int argc, char **argv)
{
    struct iteration it = {.sel = {.kind = SELECT_NONE}};
    struct lifecycle lc = {0};
    strlist omit = STRLIST_INIT;
    struct insttab tab;
    MAINCF *cf;
    const char *action = 0, *qaction = 0;
    const char *metrics_file = 0, *warn = 0, *crit = 0;
    int     mode = 0, all = 0, nsel = 0, ch, status;

    /* Installed under the name of Debian's systemd generator: be it. */
    if (argc > 0 && strcmp(strrchr(argv[0], '/') ? strrchr(argv[0], '/') + 1 : argv[0],
			   GENERATOR_NAME) == 0)
	return (generator_main(argc, argv));
    msg_syslog_init("postfix", "mail");
    opterr = 0;
    while ((ch = getopt(argc, argv, "+ac:e:g:i:G:HI:jkLlmnO:pQ:RsvWw:xX:")) != -1) {
	switch (ch) {
	case 'a':
	    /* As upstream: -a may be repeated, but not mixed with -g or -i. */
	    all = 1;
	    it.sel.kind = SELECT_ALL;
	    break;
	case 'g':
	    nsel++;
	    it.sel.kind = SELECT_GROUP;
	    it.sel.arg = optarg;
	    break;
	case 'i':
	    nsel++;
	    it.sel.kind = SELECT_NAME;
	    it.sel.arg = optarg;
	    break;
	case 'e':
	    /* The same action twice is one action, as upstream has it. */
	    if (action && strcmp(action, optarg) != 0)
		msg_fatal("specify exactly one of -e, -k, -L, -l, -m, -p, -Q, -x, and one -e action");
	    action = optarg;
	    /* FALLTHROUGH */
	case 'L':
	case 'l':
	case 'm':
	case 'p':
	case 'x':
	    if (mode && mode != ch)
		msg_fatal("specify exactly one of -e, -k, -L, -l, -m, -p, -Q, -x");
	    mode = ch;
	    break;
	case 'Q':
	    if (qaction && strcmp(qaction, optarg) != 0)
		msg_fatal("specify one -Q action");
	    if (!qwork_action_known(optarg))
		msg_fatal("-Q: unknown action \"%s\"; use list, shape, hold, release, requeue,"
			  " delete, expire or flush", optarg);
	    qaction = optarg;
	    if (mode && mode != ch)
		msg_fatal("specify exactly one of -e, -k, -L, -l, -m, -p, -Q, -x");
	    mode = ch;
	    break;
	case 'k':
	    if (mode && mode != ch)
		msg_fatal("specify exactly one of -e, -k, -L, -l, -m, -p, -Q, -x");
	    mode = ch;
	    /* From here on a fatal error is the check's UNKNOWN. */
	    monitor_check_setup();
	    break;
	case 'O':
	    if (metrics_file)
		msg_fatal("specify -O only once");
	    metrics_file = optarg;
	    break;
	case 'w':
	    if (warn)
		msg_fatal("specify -w only once, with the thresholds separated by commas");
	    warn = optarg;
	    break;
	case 'c':
	    if (crit)
		msg_fatal("specify -c only once, with the thresholds separated by commas");
	    crit = optarg;
	    break;
	case 'G':
	    if (lc.new_group)
		msg_fatal("specify -G only once");
	    lc.new_group = optarg;
	    break;
	case 'I':
	    if (lc.new_name)
		msg_fatal("specify -I only once");
	    lc.new_name = optarg;
	    break;
	case 'j':
	    it.json = 1;
	    break;
	case 'n':
	    lc.dry_run = 1;
	    break;
	case 'R':
	    /* Each -R undoes the previous one, as upstream has it. */
	    it.reverse = !it.reverse;
	    break;
	case 's':
	    it.status = 1;
	    break;
	case 'H':
	    it.no_header = 1;
	    break;
	case 'v':
	    msg_verbose++;
	    break;
	case 'W':
	    lc.own_wrapper = 1;
	    break;
	case 'X':
	    /* -X code[,code...], repeatable: lint codes left out. */
	    {
		strlist codes = STRLIST_INIT;

		sl_split(&codes, optarg, ", ");
		if (codes.n == 0)
		    msg_fatal("-X: give a lint code, such as service-log-tag");
		for (size_t k = 0; k < codes.n; k++) {
		    if (!lint_code_known(codes.v[k]))
			msg_fatal("-X: unknown lint code \"%s\"; see man postmulti", codes.v[k]);
		    sl_add(&omit, codes.v[k]);
		}
		sl_free(&codes);
	    }
	    break;
	default:
	    if (optopt && strchr("cegiGIOQwX", optopt))
		msg_fatal("option -%c requires an argument", optopt);
	    if (optopt == '-')
		/* "--help" and the like: one-letter options only. */
		msg_fatal("invalid option \"%s\": postmulti has no long options; see man postmulti",
			  long_option(argc, argv));
	    msg_fatal("invalid option -%c; see man postmulti", optopt ? optopt : '?');
	}
    }
    argv += optind;
    argc -= optind;

    if (mode == 0)
	msg_fatal("specify exactly one of -e, -k, -L, -l, -m, -p, -Q, -x");
    if (all + nsel > 1)
	msg_fatal("specify no more than one of -a, -g, -i");
    if (it.reverse && (mode == 'p' || mode == 'e' || mode == 'k'))
	msg_fatal("-R cannot be used with -%c", mode);
    if (it.json && mode != 'l' && mode != 'L' && mode != 'Q')
	msg_fatal("-j can be used only with -l, -L or -Q");
    if (mode == 'L' && (all || nsel || it.reverse || argc > 0))
	msg_fatal("-L checks every instance: no -a, -g, -i, -R or command");
    if (it.status && mode != 'l')
	msg_fatal("-s can be used only with -l");
    if (it.no_header && !(it.status && !it.json))
	msg_fatal("-H can be used only with -l -s (the text columns)");
    if (lc.dry_run && mode != 'e' && mode != 'Q')
	msg_fatal("-n can be used only with -e or -Q");
    if (omit.n > 0 && mode != 'L')
	msg_fatal("-X can be used only with -L");
    if (lc.own_wrapper && mode != 'e')
	msg_fatal("-W can be used only with -e init");
    if ((lc.new_name || lc.new_group) && mode != 'e')
	msg_fatal("-I and -G can be used only with -e");
    if (metrics_file && mode != 'm')
	msg_fatal("-O can be used only with -m");
    if (metrics_file && *metrics_file == 0)
	msg_fatal("-O: give a file name, such as /var/lib/prometheus/node-exporter/postmulti.prom");
    if ((warn || crit) && mode != 'k')
	msg_fatal("-w and -c can be used only with -k");
    if ((mode == 'l' || mode == 'm' || mode == 'k') && argc > 0)
	msg_fatal("no command is allowed with -%c", mode);
    if ((mode == 'p' || mode == 'x') && argc == 0)
	msg_fatal("-%c requires a command", mode);
    if (mode == 'e') {
	lc.action = find_action(action);
	lc.sel = it.sel;
	lc.params = argv;
    }
    check_mail_config();

    if (mode == 'e') {
	check_action(&lc);
	return (lifecycle_run(&lc));
    }
    cf = primary_read(primary_config_dir());
    primary_log_setup(cf);
    insttab_load(&tab, cf, primary_config_dir());
    switch (mode) {
    case 'l':
	status = iterate_list(&tab, &it);
	break;
    case 'x':
	status = iterate_command(&tab, &it, argv);
	break;
    case 'L':
	status = lint_run(&tab, it.json, &omit);
	break;
    case 'm':
	status = monitor_metrics(&tab, &it, metrics_file);
	break;
    case 'k':
	status = monitor_check(&tab, &it, warn, crit);
	break;
    case 'Q':
	status = qwork_run(&tab, &it, qaction, argv, lc.dry_run);
	break;
    default:
	status = iterate_postfix(&tab, &it, argv);
	break;
    }
    insttab_free(&tab);
    sl_free(&omit);
    return (status);
}
