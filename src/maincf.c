/*
 * NAME
 *	maincf 3
 * SUMMARY
 *	read main.cf files and expand parameter values
 * SYNOPSIS
 *	#include "maincf.h"
 *
 *	MAINCF	*maincf_load(config_dir, err)
 *	const char *config_dir;
 *	char	**err;
 *
 *	MAINCF	*maincf_parse(text, len, origin, err)
 *	const char *text;
 *	size_t	len;
 *	const char *origin;
 *	char	**err;
 *
 *	const char *maincf_get(cf, name)
 *	const char *maincf_lookup(cf, name)
 *
 *	char	*maincf_eval(cf, name, err)
 *	int	maincf_expand(cf, text, out, err)
 *	int	maincf_bool(cf, name, result, err)
 *
 *	const char *maincf_path(cf)
 *	void	maincf_names(cf, names)
 *
 *	const char *maincf_default(cf, name)
 *	void	maincf_service_names(cf, names)
 *	void	maincf_free(cf)
 * DESCRIPTION
 *	This module answers what "postconf -c DIR -xh NAME" answers
 *	(and, through maincf_lookup(), what "postconf -c DIR -h NAME"
 *	answers), in-process. tests/maincf/run compares the two on a
 *	corpus of main.cf files and on random expressions.
 *
 *	maincf_load() reads config_dir/main.cf, maincf_parse() parses
 *	text already in memory (origin names it in messages).
 *	maincf_load() also defines config_directory as config_dir unless
 *	the file sets it, as "postconf -c config_dir" does.
 *
 *	The syntax is that of postconf(5): "name = value" lines; a line
 *	that starts with white space continues the previous one (the
 *	newline is dropped, the line's own leading white space kept);
 *	blank lines and lines whose first non-blank byte is "#" are
 *	skipped, also in the middle of a continued definition; white
 *	space around the name and the value is dropped; the last
 *	definition wins. White space is the ASCII set " \t\n\v\f\r",
 *	whatever the locale. A continuation line with nothing to continue
 *	is ignored, as Postfix does (with a warning at -v). A line
 *	without "=", a name with white space in it or an empty name make
 *	the whole file unusable, as they make postconf fail.
 *
 *	A NUL byte also makes the file unusable. This is deliberately
 *	stricter than Postfix, which silently reads a line only up to
 *	its first NUL: a main.cf with NUL bytes is damaged, and guessing
 *	at what it meant could start an instance on the wrong queue.
 *
 *	Like postconf, both functions also expand every built-in
 *	parameter that the file sets (a name with a compiled-in default,
 *	or mynetworks, whose default depends on the host), and fail when
 *	one of those does not expand: Postfix programs expand them all
 *	when they start, so such a file is unusable even for parameters
 *	that would expand. As postconf does when it starts, they also
 *	compute myhostname and mynetworks when the file does not set them,
 *	and fail when that fails: a host name Postfix refuses, a bad
 *	mynetworks_style, inet_interfaces (a host that does not resolve)
 *	or inet_protocols, a compatibility_level that is not a level (the
 *	default mynetworks_style compares it), or no active network
 *	interface spoils the whole file, as it makes postconf refuse
 *	every parameter and postfix refuse to start. The interfaces are
 *	read once per process (hostinfo(3)). Parameters that Postfix
 *	never expands (see "raw" below) and read-only ones are not
 *	checked, user-defined ones only when asked for. On failure both return NULL with a
 *	one-line message in *err that names the file, the line and, for
 *	expansion, the parameter whose text is bad.
 *
 *	maincf_get() returns the value set in the file, unexpanded, or
 *	NULL. maincf_lookup() returns the value in effect: the file's,
 *	else the compiled-in default, else NULL. The read-only
 *	parameters process_id, process_name and service_name always
 *	take the default, as Postfix ignores main.cf settings of them.
 *
 *	maincf_eval() returns the expanded value of a parameter as new
 *	memory (empty when nothing defines it), or NULL with *err set.
 *	The "raw" parameters, whose values Postfix expands only at the
 *	time of use with its own variables (forward_path, mailbox_command,
 *	smtpd_reject_footer and a few more), come back unexpanded, as
 *	"postconf -x" prints them. maincf_expand() expands a text and
 *	appends it to out.
 *
 *	maincf_default() returns the default of a parameter: the
 *	compiled-in one, else that of a per-service parameter, else
 *	NULL. As postconf does, a service in config_dir/master.cf whose
 *	command is local, error, virtual, smtp, lmtp or pipe defines
 *	SERVICE_delivery_slot_cost, SERVICE_destination_recipient_limit
 *	and the other per-transport names of the queue manager, each
 *	defaulting to "$default_..." (one to
 *	"$initial_destination_concurrency"); one whose command is pipe
 *	or spawn defines SERVICE_time_limit ("$command_time_limit").
 *	The command must be written as that bare name. A compiled-in
 *	name keeps its own default, and of two services that would give
 *	one name, the first in master.cf wins. master.cf is read the
 *	first time such a name is asked for; a missing or malformed
 *	one, or a MAINCF from maincf_parse(), defines none.
 *	maincf_service_names() adds to names the per-service names that
 *	master.cf defines.
 *
 *	Expansion is expand(3)'s; maincf_lookup(), maincf_eval(),
 *	maincf_expand() and maincf_bool() are there.
 *
 *	maincf_path() returns the origin given to maincf_parse(), or the
 *	path of the file that maincf_load() read. maincf_names() adds
 *	to names the name of each parameter the file sets.
 * DIFFERENCES FROM POSTCONF
 *	Besides NUL bytes (above): postconf prints nothing for a
 *	user-defined parameter that no value refers to ("unknown
 *	parameter"); maincf_eval() returns its value. An expansion that
 *	grows without bound (references that double the text at each of
 *	100 levels) fails here after MAINCF_SIZE_LIMIT bytes of work,
 *	where postconf runs until it is killed or out of memory. A malformed
 *	master.cf defines no per-service names here; postconf then
 *	refuses to answer at all.
 *
 *	A reference loop through a comparison operand
 *	crashes postconf (its stack runs out); it is an error here.
 * SEE ALSO
 *	postconf(5), postconf(1), llines(3) (the logical lines)
 */
#include <errno.h>
#include <limits.h>
#include <stddef.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "maincf.h"
#include "maincf_int.h"
#include "defaults.h"
#include "hostinfo.h"
#include "llines.h"
#include "mastercf.h"
#include "util.h"
#include "msg.h"

 /*
  * Postfix expands these only when it uses them, with variables of its
  * own ($user, $home, $client...), so "postconf -x" prints them as they
  * are, and its start-up check does not expand them. (The list is what
  * Postfix 3.7 "postconf -x" leaves alone when every parameter is set
  * to "$mail_name"; tests/maincf/cases/raw-parameters.cf checks it.)
  */
const char *const maincf_raw_params[] = {
    "command_execution_directory",
    "default_rbl_reply",
    "forward_path",
    "luser_relay",
    "mailbox_command",
    "postscreen_expansion_filter",
    "postscreen_reject_footer",
    "smtpd_expansion_filter",
    "smtpd_reject_footer",
    0,
};

 /*
  * Postfix sets these itself and ignores (with a warning) what main.cf
  * says about them.
  */
static const char *const read_only_params[] = {
    "process_id",
    "process_name",
    "service_name",
    0,
};

 /*
  * Built-in parameters whose defaults depend on the host (its name, its
  * interfaces) and on the file: the defaults table leaves them out; they
  * are computed when an expansion needs them (enum computed), and Postfix
  * checks them like the rest.
  */
const char *const maincf_computed_params[] = {
    [COMPUTED_MYHOSTNAME] = "myhostname",
    [COMPUTED_MYDOMAIN] = "mydomain",
    [COMPUTED_MYNETWORKS] = "mynetworks",
    [COMPUTED_COUNT] = 0,
};

/*
 * The per-service parameters (see maincf_default()), in postconf's order;
 * pipe has them all, spawn only the first, the other agents all but it.
 */
static const struct service_param {
    const char *suffix;
    const char *dflt;
} service_params[] = {
    {"_time_limit", "$command_time_limit"},
    {"_recipient_limit", "$default_recipient_limit"},
    {"_extra_recipient_limit", "$default_extra_recipient_limit"},
    {"_recipient_refill_limit", "$default_recipient_refill_limit"},
    {"_recipient_refill_delay", "$default_recipient_refill_delay"},
    {"_delivery_slot_cost", "$default_delivery_slot_cost"},
    {"_delivery_slot_loan", "$default_delivery_slot_loan"},
    {"_delivery_slot_discount", "$default_delivery_slot_discount"},
    {"_minimum_delivery_slots", "$default_minimum_delivery_slots"},
    {"_initial_destination_concurrency", "$initial_destination_concurrency"},
    {"_destination_concurrency_limit", "$default_destination_concurrency_limit"},
    {"_destination_recipient_limit", "$default_destination_recipient_limit"},
    {"_destination_concurrency_positive_feedback",
    "$default_destination_concurrency_positive_feedback"},
    {"_destination_concurrency_negative_feedback",
    "$default_destination_concurrency_negative_feedback"},
    {"_destination_concurrency_failed_cohort_limit",
    "$default_destination_concurrency_failed_cohort_limit"},
    {"_destination_rate_delay", "$default_destination_rate_delay"},
    {"_transport_rate_delay", "$default_transport_rate_delay"},
};

#define SERVICE_PARAMS	(sizeof(service_params) / sizeof(service_params[0]))

/* service_range - which of service_params a master.cf command gets: [*first, *last) */

static int service_range(const char *command, size_t *first, size_t *last)
{
    static const char *const agents[] = {"local", "error", "virtual", "smtp", "lmtp", 0};

    *first = 0;
    *last = SERVICE_PARAMS;
    if (command == 0)
	return (0);
    if (strcmp(command, "pipe") == 0)
	return (1);
    if (strcmp(command, "spawn") == 0) {
	*last = 1;
	return (1);
    }
    *first = 1;
    return (maincf_listed(agents, command));
}

/* services - the instance's master.cf, read once; null if none */

static const MASTERCF *services(const MAINCF *cf)
{
    char   *err = 0;

    if (!cf->cache->services_read) {
	cf->cache->services_read = 1;
	if (cf->config_dir != 0) {
	    cf->cache->services = mastercf_load(cf->config_dir, &err);
	    if (cf->cache->services == 0 && msg_verbose)
		msg_info("no per-service parameters: %s", err);
	    free(err);
	}
    }
    return (cf->cache->services);
}

/* maincf_default - the compiled-in or per-service default of name, or NULL */

const char *maincf_default(const MAINCF *cf, const char *name)
{
    const char *dflt = default_value(name);
    const MASTERCF *mcf;
    size_t  first, last, len = strlen(name), slen;

    if (dflt != 0)
	return (dflt);
    /* Only a name with one of the suffixes makes master.cf worth reading. */
    for (first = 0; first < SERVICE_PARAMS; first++) {
	slen = strlen(service_params[first].suffix);
	if (len > slen && strcmp(name + len - slen, service_params[first].suffix) == 0)
	    break;
    }
    if (first == SERVICE_PARAMS || (mcf = services(cf)) == 0)
	return (0);
    for (size_t i = 0; i < mcf->n; i++) {
	const char *svc = mcf->v[i].field[MCF_SERVICE];
	size_t  svclen = strlen(svc);

	if (strncmp(name, svc, svclen) != 0
	    || !service_range(mcf->v[i].field[MCF_COMMAND], &first, &last))
	    continue;
	for (size_t k = first; k < last; k++)
	    if (strcmp(name + svclen, service_params[k].suffix) == 0)
		return (service_params[k].dflt);
    }
    return (0);
}

/* maincf_service_names - add the per-service names that master.cf defines */

void    maincf_service_names(const MAINCF *cf, strlist *names)
{
    const MASTERCF *mcf = services(cf);
    size_t  first, last;

    for (size_t i = 0; mcf && i < mcf->n; i++) {
	if (!service_range(mcf->v[i].field[MCF_COMMAND], &first, &last))
	    continue;
	for (size_t k = first; k < last; k++) {
	    char   *name = xasprintf("%s%s", mcf->v[i].field[MCF_SERVICE],
				     service_params[k].suffix);

	    if (default_value(name) == 0)
		sl_add_owned(names, name);
	    else
		free(name);
	}
    }
}

/* maincf_listed - whether name is in a NULL-terminated list */

int     maincf_listed(const char *const *list, const char *name)
{
    for (; *list; list++)
	if (strcmp(*list, name) == 0)
	    return (1);
    return (0);
}

/* find_slot - where name lives, or where it would go */

static struct entry *find_slot(const MAINCF *cf, const char *name)
{
    size_t  i = str_hash(name) & (cf->cap - 1);

    while (cf->tab[i].name && strcmp(cf->tab[i].name, name) != 0)
	i = (i + 1) & (cf->cap - 1);
    return (cf->tab + i);
}

/* store - define name; the last definition wins */

static void store(MAINCF *cf, char *name, char *value, size_t line)
{
    struct entry *e;

    if (2 * (cf->count + 1) > cf->cap) {
	struct entry *old = cf->tab;
	size_t  old_cap = cf->cap;

	cf->cap = old_cap ? 2 * old_cap : 64;
	cf->tab = xcalloc(cf->cap, sizeof(*cf->tab));
	for (size_t i = 0; i < old_cap; i++)
	    if (old[i].name)
		*find_slot(cf, old[i].name) = old[i];
	free(old);
    }
    e = find_slot(cf, name);
    if (e->name) {
	free(name);
	free(e->value);
    } else {
	e->name = name;
	cf->count++;
    }
    e->value = value;
    e->line = line;
}

/* maincf_file_entry - the definition in effect from the file, or NULL */

const struct entry *maincf_file_entry(const MAINCF *cf, const char *name)
{
    const struct entry *e;

    if (cf->cap == 0)
	return (0);
    e = find_slot(cf, name);
    if (e->name == 0 || maincf_listed(read_only_params, name))
	return (0);
    return (e);
}

/* maincf_names - the names of the parameters the file sets */

void    maincf_names(const MAINCF *cf, strlist *names)
{
    for (size_t i = 0; i < cf->cap; i++)
	if (cf->tab[i].name && cf->tab[i].line > 0)
	    sl_add(names, cf->tab[i].name);
}

/* maincf_show - a message-safe excerpt of [start, end): one line, printable */

char   *maincf_show(const char *start, const char *end)
{
    return (msg_excerpt(start, end > start ? (size_t) (end - start) : 0, MAINCF_EXCERPT));
}

/* define - store one logical line */

static int define(MAINCF *cf, const char *line, size_t len, size_t lineno, char **err)
{
    const char *eq = memchr(line, '=', len);
    const char *end = eq ? eq : line + len;
    char   *name = trim_copy(line, end);

    if (eq == 0 || *name == 0 || strpbrk(name, ASCII_SPACE) != 0) {
	char   *excerpt = maincf_show(line, line + len);

	*err = xasprintf("%s, line %zu: %s: \"%s\"", cf->origin, lineno,
			 eq && *name == 0 ? "missing parameter name" :
			 "missing '=' after parameter name", excerpt);
	free(excerpt);
	free(name);
	return (-1);
    }
    store(cf, name, trim_copy(eq + 1, line + len), lineno);
    return (0);
}

/* parse_text - the file syntax, without the expansion check */

static MAINCF *parse_text(const char *text, size_t len, const char *origin,
			          char **err)
{
    MAINCF *cf = xcalloc(1, sizeof(*cf));
    LLINES  lines;
    const char *line;
    size_t  linelen, lineno;
    int     got;

    cf->cache = xcalloc(1, sizeof(*cf->cache));
    cf->origin = xstrdup(origin);
    llines_init(&lines, text, len, origin);
    while ((got = llines_next(&lines, &line, &linelen, &lineno, err)) != LLINES_END) {
	if (got == LLINES_ERROR
	    || (got == LLINES_LINE && define(cf, line, linelen, lineno, err) < 0)) {
	    llines_free(&lines);
	    maincf_free(cf);
	    return (0);
	}
	if (got == LLINES_ORPHAN && msg_verbose)
	    msg_info("%s, line %zu: ignoring continuation line with nothing to continue",
		     origin, lineno);
    }
    llines_free(&lines);
    return (cf);
}

/* check_builtins - expand every built-in parameter the file sets */

static int check_builtins(const MAINCF *cf, char **err)
{
    const struct entry *first = 0;

    /*
     * Report the first failure in file order, not hash order, so that the
     * message does not depend on the table size.
     */
    for (size_t i = 0; i < cf->cap; i++) {
	const struct entry *e = cf->tab + i;
	char   *why = 0, *value;

	if (e->name == 0 || e->line == 0
	    || (maincf_default(cf, e->name) == 0 && !maincf_listed(maincf_computed_params, e->name))
	    || maincf_listed(maincf_raw_params, e->name) || maincf_listed(read_only_params, e->name)
	    || (first && first->line < e->line))
	    continue;
	if ((value = maincf_eval(cf, e->name, &why)) != 0) {
	    free(value);
	    continue;
	}
	if (first)
	    free(*err);
	*err = why;
	first = e;
    }
    if (first)
	return (-1);

    /*
     * Like postconf, compute the host-dependent defaults that the file
     * does not override: a bad mynetworks_style, inet_interfaces,
     * inet_protocols or compatibility_level spoils the whole file then,
     * not only the values that refer to $mynetworks. The interface list
     * is read once per process, so this costs no system call per file.
     */
    for (size_t i = 0; i < COMPUTED_COUNT; i++) {
	const char *name = maincf_computed_params[i];
	char   *value;

	if (strcmp(name, "mydomain") == 0 || maincf_get(cf, name) != 0)
	    continue;
	if ((value = maincf_eval(cf, name, err)) == 0)
	    return (-1);
	free(value);
    }
    return (0);
}

/* maincf_parse - parse main.cf text */

MAINCF *maincf_parse(const char *text, size_t len, const char *origin, char **err)
{
    MAINCF *cf = parse_text(text, len, origin, err);

    if (cf && check_builtins(cf, err) < 0) {
	maincf_free(cf);
	return (0);
    }
    return (cf);
}

/* maincf_load - read config_dir/main.cf */

MAINCF *maincf_load(const char *config_dir, char **err)
{
    strbuf  text = STRBUF_INIT;
    char   *path = xasprintf("%s/main.cf", config_dir);
    MAINCF *cf = 0;

    if (read_file(path, &text, MAINCF_SIZE_LIMIT) < 0) {
	*err = xasprintf("read %s: %s", path, errno == EFBIG ? "file too large" :
			 errno == EINVAL ? "not a regular file" : strerror(errno));
    } else if ((cf = parse_text(text.s, text.len, path, err)) != 0) {
	/* As in Postfix: the directory read from, unless main.cf says. */
	if (maincf_get(cf, "config_directory") == 0)
	    store(cf, xstrdup("config_directory"), xstrdup(config_dir), 0);
	cf->config_dir = xstrdup(config_dir);
	if (check_builtins(cf, err) < 0) {
	    maincf_free(cf);
	    cf = 0;
	}
    }
    sb_free(&text);
    free(path);
    return (cf);
}

/* maincf_get - the value set in main.cf, or NULL */

const char *maincf_get(const MAINCF *cf, const char *name)
{
    const struct entry *e;

    if (cf->cap == 0)
	return (0);
    e = find_slot(cf, name);
    return (e->name ? e->value : 0);
}

/* maincf_path - the file this came from */

const char *maincf_path(const MAINCF *cf)
{
    return (cf->origin);
}

/* maincf_free - release everything */

void    maincf_free(MAINCF *cf)
{
    if (cf == 0)
	return;
    for (size_t i = 0; i < cf->cap; i++) {
	free(cf->tab[i].name);
	free(cf->tab[i].value);
    }
    free(cf->tab);
    for (size_t i = 0; i < COMPUTED_COUNT; i++)
	free(cf->cache->computed[i]);
    mastercf_free(cf->cache->services);
    free(cf->cache);
    free(cf->origin);
    free(cf->config_dir);
    free(cf);
}
