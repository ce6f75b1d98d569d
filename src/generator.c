/*
 * NAME
 *	generator 3
 * SUMMARY
 *	systemd generator: one postfix@.service per enabled instance
 * SYNOPSIS
 *	#include "generator.h"
 *
 *	int	generator_main(argc, argv)
 *	int	argc;
 *	char	**argv;
 * DESCRIPTION
 *	generator_main() is the program when postmulti runs as
 *	postfix-instance-generator, the name of the generator that
 *	Debian's postfix package installs in
 *	/lib/systemd/system-generators. systemd runs it at boot and at
 *	each daemon-reload with three output directories (normal, early,
 *	late); like Debian's it writes only to the first, and links
 *	/lib/systemd/system/postfix@.service as
 *	DIR/postfix.service.wants/postfix@INSTANCE.service:
 *
 *	"-" for the primary instance, always, as Debian's does: its unit
 *	starts it, or only checks it when it is disabled (postfix-wrapper(5)).
 *
 *	the multi_instance_name of each secondary instance listed in the
 *	primary's multi_instance_directories (white space and commas
 *	separate the entries, as for Postfix itself) that is enabled.
 *	A disabled one is left out quietly: its unit would "start" with a
 *	"postfix check" and fail to stop.
 *
 *	Each instance is read with the main.cf reader of postmulti, in
 *	process: no postconf run. An entry that cannot make a unit is
 *	skipped with a message, and the others are linked: a relative
 *	path, an entry listed twice, an instance whose main.cf is
 *	damaged (unreadable, a bad multi_instance_enable, an expression
 *	that does not expand), a nameless one (its unit would be the
 *	template postfix@.service), a name that systemd does not accept
 *	in a unit name or that a previous instance has.
 *
 *	Messages go to the kernel log (/dev/kmsg), where systemd
 *	generators log since nothing else runs that early, with the
 *	daemon facility and the generator's name; when /dev/kmsg cannot
 *	be opened, to the standard error. The exit status is 0 whatever
 *	the instances look like, so that no instance can make the boot
 *	report a failed generator; it is 1 only when the output directory
 *	cannot be written, and for a command line without one.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <syslog.h>
#include <unistd.h>

#include "generator.h"
#include "instance.h"
#include "maincf.h"
#include "util.h"

static int kmsg_fd = -1;

 /*
  * systemd's limit on the length of a unit name.
  */
#define UNIT_NAME_MAX	255

/* report - one message to the kernel log, or else to stderr */

static void __attribute__((format(printf, 2, 3))) report(int prio, const char *fmt,...)
{
    char    raw[1024];
    strbuf  text = STRBUF_INIT, line = STRBUF_INIT;
    va_list ap;
    int     done = 0;

    va_start(ap, fmt);
    vsnprintf(raw, sizeof(raw), fmt, ap);
    va_end(ap);
    /* One line per message: the kernel log takes one record a write. */
    for (const unsigned char *cp = (const unsigned char *) raw; *cp; cp++) {
	if (*cp < 0x20 || *cp == 0x7f)
	    sb_printf(&text, "\\%03o", *cp);
	else
	    sb_addc(&text, *cp);
    }
    if (kmsg_fd >= 0) {
	sb_printf(&line, "<%d>%s[%ld]: %s\n", LOG_DAEMON | prio, GENERATOR_NAME,
		  (long) getpid(), text.s);
	done = write(kmsg_fd, line.s, line.len) == (ssize_t) line.len;
    }
    if (!done) {
	sb_reset(&line);
	sb_printf(&line, "%s: %s\n", GENERATOR_NAME, text.s);
	/* When this fails too, there is nowhere left to tell. */
	done = write(2, line.s, line.len) == (ssize_t) line.len;
    }
    sb_free(&text);
    sb_free(&line);
}

/* unit_instance_ok - can a systemd unit name carry this instance name? */

static int unit_instance_ok(const char *name)
{
    size_t  len = strlen(name);

    return (len > 0
	    && len + sizeof("postfix@.service") - 1 <= UNIT_NAME_MAX
	    && strspn(name, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
		      "0123456789:_.\\-") == len);
}

/* link_unit - link the template as postfix@INSTANCE.service */

static int link_unit(const char *wants, const char *instance)
{
    char   *path = xasprintf("%s/postfix@%s.service", wants, instance);
    char    target[PATH_MAX];
    ssize_t len;
    int     status = 0;

    if (symlink(GENERATOR_TEMPLATE, path) < 0) {
	/* Run twice into the same directory: the same link is no error. */
	if (errno != EEXIST
	    || (len = readlink(path, target, sizeof(target) - 1)) < 0
	    || (target[len] = 0, strcmp(target, GENERATOR_TEMPLATE) != 0)) {
	    report(LOG_ERR, "cannot link %s: %s", path,
		   errno == EEXIST ? "a different file is in the way" : strerror(errno));
	    status = -1;
	}
    }
    free(path);
    return (status);
}

/* secondary_unit - the unit instance of one secondary, or NULL (skipped) */

static char *secondary_unit(const char *dir, const strlist *seen_dirs,
			            const strlist *seen_names)
{
    struct instance inst;
    char   *name = 0;

    if (dir[0] != '/') {
	report(LOG_WARNING, "skipping \"%s\" in multi_instance_directories:"
	       " not an absolute path", dir);
	return (0);
    }
    for (size_t i = 0; i < seen_dirs->n; i++) {
	if (path_same(seen_dirs->v[i], dir)) {
	    report(LOG_WARNING, "skipping %s: listed twice in"
		   " multi_instance_directories", dir);
	    return (0);
	}
    }
    if (load_secondary(&inst, dir) < 0) {
	report(LOG_WARNING, "skipping %s: %s", dir, inst.damage);
    } else if (!inst.enabled) {
	 /* Disabled: no unit, and nothing to say. */ ;
    } else if (*inst.name == 0) {
	report(LOG_WARNING, "skipping %s: no multi_instance_name"
	       " (its unit would be the template postfix@.service)", dir);
    } else if (strcmp(inst.name, "-") == 0 || !unit_instance_ok(inst.name)) {
	report(LOG_WARNING, "skipping %s: multi_instance_name \"%s\""
	       " cannot name a systemd unit", dir, inst.name);
    } else if (sl_find(seen_names, inst.name) >= 0) {
	report(LOG_WARNING, "skipping %s: multi_instance_name \"%s\""
	       " is taken by another instance", dir, inst.name);
    } else {
	name = xstrdup(inst.name);
    }
    instance_free(&inst);
    return (name);
}

/* generator_main - the generator's program */

int     generator_main(int argc, char **argv)
{
    const char *config_dir = primary_config_dir();
    strlist dirs = STRLIST_INIT, seen_dirs = STRLIST_INIT, names = STRLIST_INIT;
    MAINCF *cf;
    char   *err = 0, *list, *wants;
    int     status = 0;

    kmsg_fd = open("/dev/kmsg", O_WRONLY | O_NOCTTY | O_CLOEXEC);
    if (argc != 2 && argc != 4) {
	report(LOG_ERR, "usage: %s normal-dir [early-dir late-dir]", GENERATOR_NAME);
	return (1);
    }
    wants = xasprintf("%s/%s", argv[1], GENERATOR_WANTS);
    if (mkdir(wants, 0755) < 0 && errno != EEXIST) {
	report(LOG_ERR, "cannot create %s: %s", wants, strerror(errno));
	free(wants);
	return (1);
    }
    if (link_unit(wants, "-") < 0)
	status = 1;

    if ((cf = maincf_load(config_dir, &err)) == 0
	|| (list = maincf_eval(cf, "multi_instance_directories", &err)) == 0) {
	report(LOG_ERR, "no secondary instance: %s", err);
	free(err);
    } else {
	sl_split(&dirs, list, LIST_SEPARATORS);
	free(list);
	for (size_t i = 0; i < dirs.n; i++) {
	    char   *name = secondary_unit(dirs.v[i], &seen_dirs, &names);

	    sl_add(&seen_dirs, dirs.v[i]);
	    if (name == 0)
		continue;
	    if (link_unit(wants, name) < 0)
		status = 1;
	    sl_add_owned(&names, name);
	}
    }
    if (cf)
	maincf_free(cf);
    sl_free(&dirs);
    sl_free(&seen_dirs);
    sl_free(&names);
    free(wants);
    if (kmsg_fd >= 0)
	close(kmsg_fd);
    return (status);
}
