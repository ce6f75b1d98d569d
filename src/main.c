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
 *	mode (iterate.c) or life-cycle mode (lifecycle.c). See
 *	man/postmulti.1. Run as postfix-instance-generator, it is the
 *	systemd generator of generator.c.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "generator.h"
#include "instance.h"
#include "iterate.h"
#include "lifecycle.h"
#include "msg.h"
#include "util.h"

/* check_mail_config - only the default instance can be the primary */

static void check_mail_config(void)
{
    const char *env = getenv("MAIL_CONFIG");

    if (env != 0 && (*env != '/' || !path_same(env, primary_config_dir())))
	msg_fatal("non-default configuration directory: MAIL_CONFIG=%s", env);
}

int     main(int argc, char **argv)
{
    struct iteration it = {{SELECT_ALL, 0}, 0, 0, 0};
    struct lifecycle lc = {0};
    struct insttab tab;
    int     mode = 0, all = 0, nsel = 0, ch, status;

    /* Installed under the name of Debian's systemd generator: be it. */
    if (argc > 0 && strcmp(strrchr(argv[0], '/') ? strrchr(argv[0], '/') + 1 : argv[0],
			   GENERATOR_NAME) == 0)
	return (generator_main(argc, argv));
    msg_syslog_init("postfix", "mail");
    lc.self = argv[0];
    opterr = 0;
    while ((ch = getopt(argc, argv, "+ae:g:i:G:I:jlnpRsvx")) != -1) {
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
	    if (lc.action && strcmp(lc.action, optarg) != 0)
		msg_fatal("specify exactly one of -e, -l, -p, -x, and one -e action");
	    lc.action = optarg;
	    /* FALLTHROUGH */
	case 'l':
	case 'p':
	case 'x':
	    if (mode && mode != ch)
		msg_fatal("specify exactly one of -e, -l, -p, -x");
	    mode = ch;
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
	case 'v':
	    msg_verbose++;
	    break;
	default:
	    if (optopt && strchr("egiGI", optopt))
		msg_fatal("option -%c requires an argument", optopt);
	    msg_fatal("invalid option -%c; see man postmulti", optopt ? optopt : '?');
	}
    }
    argv += optind;
    argc -= optind;

    if (mode == 0)
	msg_fatal("specify exactly one of -e, -l, -p, -x");
    if (all + nsel > 1)
	msg_fatal("specify no more than one of -a, -g, -i");
    if (it.reverse && (mode == 'p' || mode == 'e'))
	msg_fatal("-R cannot be used with -%c", mode);
    if (it.json && mode != 'l')
	msg_fatal("-j can be used only with -l");
    if (it.status && mode != 'l')
	msg_fatal("-s can be used only with -l");
    if (lc.dry_run && mode != 'e')
	msg_fatal("-n can be used only with -e");
    if ((lc.new_name || lc.new_group) && mode != 'e')
	msg_fatal("-I and -G can be used only with -e");
    if (mode == 'l' && argc > 0)
	msg_fatal("no command is allowed with -l");
    if ((mode == 'p' || mode == 'x') && argc == 0)
	msg_fatal("-%c requires a command", mode);
    if (mode == 'e' && !lifecycle_valid_action(lc.action))
	msg_fatal("invalid -e action \"%s\": specify init, create, import, destroy,"
		  " deport, enable, disable or assign", lc.action);
    check_mail_config();

    if (mode == 'e') {
	lc.sel = it.sel;
	lc.sel_given = all + nsel;
	lc.params = argv;
	return (lifecycle_run(&lc));
    }
    insttab_load(&tab);
    switch (mode) {
    case 'l':
	status = iterate_list(&tab, &it);
	break;
    case 'x':
	status = iterate_command(&tab, &it, argv);
	break;
    default:
	status = iterate_postfix(&tab, &it, argv);
	break;
    }
    insttab_free(&tab);
    return (status);
}
