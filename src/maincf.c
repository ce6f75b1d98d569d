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
 *	The syntax (ptab(3)) is that of postconf(5): "name = value" lines; a line
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
 *	appends it to out. maincf_bool() evaluates a yes/no parameter,
 *	case-insensitively.
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
 *	The layers: ptab(3) reads the file's syntax into a table, and
 *	expand(3) is the expansion engine, which knows nothing of main.cf;
 *	this module looks names up for it (the file, the compiled-in and
 *	per-service defaults, the host-dependent ones below) and checks
 *	the built-in parameters when a file is read.
 *
 *	Defaults that depend on the host are computed when an expansion
 *	needs them, from the host and from this file, as Postfix computes
 *	them (see hostinfo(3)): myhostname is the host name, completed
 *	when it has no dot with "." and main.cf's mydomain, else
 *	".localdomain"; mydomain is what follows the first dot of
 *	myhostname (main.cf's, else the one above), else "localdomain";
 *	mynetworks comes from the interfaces, mynetworks_style,
 *	inet_interfaces and inet_protocols. Where these read main.cf
 *	values (mydomain for myhostname, myhostname for mydomain, the
 *	three for mynetworks), the values are expanded with what main.cf
 *	sets alone (and config_directory), as Postfix does; the computed
 *	text is then expanded like any value. A host name that Postfix
 *	refuses, or a mynetworks that cannot be computed, is an error of
 *	the expansion that needs it.
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
 *	postconf(5), postconf(1), ptab(3) (the syntax), expand(3) (the
 *	engine), llines(3) (the logical lines)
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "maincf.h"
#include "ptab.h"
#include "expand.h"
#include "defaults.h"
#include "hostinfo.h"
#include "mastercf.h"
#include "util.h"
#include "msg.h"

 /*
  * The host-dependent defaults, computed when an expansion needs them;
  * computed_params[] names them in this order.
  */
enum computed {
    COMPUTED_MYHOSTNAME,
    COMPUTED_MYDOMAIN,
    COMPUTED_MYNETWORKS,
    COMPUTED_COUNT,
};

 /*
  * The host-dependent defaults, computed on first use: a cache that a
  * const MAINCF points to, so that filling it is no hidden mutation.
  */
struct maincf_cache {
    char   *computed[COMPUTED_COUNT];	/* host-dependent defaults, when needed */
    int     computing[COMPUTED_COUNT];	/* loop guard while computing one */
    int     services_read;		/* master.cf read (or tried) */
    struct mastercf *services;		/* its services, or null */
};

struct maincf {
    char   *origin;
    char   *config_dir;			/* maincf_load()'s, for master.cf; or null */
    PTAB    params;			/* what the file sets */
    struct maincf_cache *cache;
};

 /*
  * Postfix expands these only when it uses them, with variables of its
  * own ($user, $home, $client...), so "postconf -x" prints them as they
  * are, and its start-up check does not expand them. (The list is what
  * Postfix 3.7 "postconf -x" leaves alone when every parameter is set
  * to "$mail_name"; tests/maincf/cases/raw-parameters.cf checks it.)
  */
static const char *const raw_params[] = {
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
static const char *const computed_params[] = {
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

/* listed - whether name is in a NULL-terminated list */

static int listed(const char *const *list, const char *name)
{
    for (; *list; list++)
	if (strcmp(*list, name) == 0)
	    return (1);
    return (0);
}

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
    return (listed(agents, command));
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

/* file_entry - the definition in effect from the file, or NULL */

static const struct ptab_entry *file_entry(const MAINCF *cf, const char *name)
{
    if (listed(read_only_params, name))
	return (0);
    return (ptab_find(&cf->params, name));
}

/* maincf_names - the names of the parameters the file sets */

void    maincf_names(const MAINCF *cf, strlist *names)
{
    for (size_t i = 0; i < cf->params.cap; i++)
	if (cf->params.tab[i].name && cf->params.tab[i].line > 0)
	    sl_add(names, cf->params.tab[i].name);
}

/* parse_text - the file syntax, without the expansion check */

static MAINCF *parse_text(const char *text, size_t len, const char *origin,
			          char **err)
{
    MAINCF *cf = xcalloc(1, sizeof(*cf));

    cf->params = (PTAB) PTAB_INIT;
    cf->cache = xcalloc(1, sizeof(*cf->cache));
    cf->origin = xstrdup(origin);
    if (ptab_parse(&cf->params, text, len, origin, err) < 0) {
	maincf_free(cf);
	return (0);
    }
    return (cf);
}

 /*
  * The value layer: expand(3) asks lookup() for each name, in a scope
  * whose flags say where values may come from.
  */
#define SCOPE_FILE_ONLY	(1 << 0)	/* what main.cf sets, nothing else */

struct scope {
    const MAINCF *cf;
    int     flags;			/* SCOPE_* */
};

static int lookup(void *, const char *, int, const char **, char **);
static void where(void *, const char *, strbuf *);

static const EXPAND_OPS ops = {.lookup = lookup, .where = where};

/* where - "file, line N: parameter NAME", as messages about param begin */

static void where(void *context, const char *param, strbuf *msg)
{
    const struct scope *sc = context;
    const struct ptab_entry *e = param ? file_entry(sc->cf, param) : 0;

    sb_puts(msg, sc->cf->origin);
    if (e && e->line)
	sb_printf(msg, ", line %zu", e->line);
    if (param)
	sb_printf(msg, ": parameter %s%s", param, e ? "" :
		  listed(computed_params, param) ?
		  " (default, computed for this host)" : " (compiled-in default)");
}

/* expand_scoped - text, the value of param, expanded in a scope, as new memory */

static char *expand_scoped(const MAINCF *cf, int flags, int depth, const char *param,
			           const char *text, char **err)
{
    struct scope sc = {.cf = cf, .flags = flags};
    strbuf  buf = STRBUF_INIT;

    if (expand_text(&ops, &sc, depth, param, text, text + strlen(text), &buf, err) < 0) {
	sb_free(&buf);
	return (0);
    }
    return (sb_take(&buf));
}

/* setting - a parameter as Postfix reads it for a computed default */

static char *setting(const MAINCF *cf, int depth, const char *name, char **err)
{
    const struct ptab_entry *e = file_entry(cf, name);
    const char *dflt;

    /*
     * What main.cf sets is expanded with what main.cf sets, only; the
     * default is expanded as usual.
     */
    if (e)
	return (expand_scoped(cf, SCOPE_FILE_ONLY, depth, name, e->value, err));
    if ((dflt = maincf_default(cf, name)) == 0)
	return (xstrdup(""));
    return (expand_scoped(cf, 0, depth, name, dflt, err));
}

/* compute_fail - a computed default's error, from the host's answer */

static char *compute_fail(const MAINCF *cf, const char *name, char *why, char **err)
{
    struct scope sc = {.cf = cf};

    expand_fail(&ops, &sc, name, err, "%s", why);
    free(why);
    return (0);
}

/* compute - the text of a host-dependent default, or NULL */

static char *compute(const MAINCF *cf, int depth, enum computed which, char **err)
{
    const struct ptab_entry *e;
    const char *host, *dot;
    char   *text, *why = 0, *result = 0;
    char   *style, *interfaces, *protocols;

    switch (which) {
    case COMPUTED_MYHOSTNAME:
	if ((host = host_name(&why)) == 0)
	    return (compute_fail(cf, "myhostname", why, err));
	if (strchr(host, '.'))
	    return (xstrdup(host));
	/* A name without a dot gets main.cf's mydomain, or "localdomain". */
	if ((e = file_entry(cf, "mydomain")) == 0)
	    return (xasprintf("%s.localdomain", host));
	if ((text = expand_scoped(cf, SCOPE_FILE_ONLY, depth, "mydomain", e->value, err)) == 0)
	    return (0);
	result = xasprintf("%s.%s", host, text);
	free(text);
	return (result);
    case COMPUTED_MYDOMAIN:
	/* What follows the first dot of myhostname, or "localdomain". */
	if ((e = file_entry(cf, "myhostname")) != 0)
	    text = expand_scoped(cf, SCOPE_FILE_ONLY, depth, "myhostname", e->value, err);
	else
	    text = compute(cf, depth, COMPUTED_MYHOSTNAME, err);
	if (text == 0)
	    return (0);
	result = xstrdup((dot = strchr(text, '.')) ? dot + 1 : "localdomain");
	free(text);
	return (result);
    default:				/* COMPUTED_MYNETWORKS */
	style = setting(cf, depth, "mynetworks_style", err);
	interfaces = style ? setting(cf, depth, "inet_interfaces", err) : 0;
	protocols = interfaces ? setting(cf, depth, "inet_protocols", err) : 0;
	if (protocols && (result = host_networks(style, interfaces, protocols, &why)) == 0)
	    compute_fail(cf, "mynetworks", why, err);
	free(style);
	free(interfaces);
	free(protocols);
	return (result);
    }
}

/* lookup - the value in effect, computing a host-dependent default */

static int lookup(void *context, const char *name, int depth, const char **value,
		          char **err)
{
    const struct scope *sc = context;
    const struct ptab_entry *e = file_entry(sc->cf, name);
    struct maincf_cache *cache = sc->cf->cache;
    enum computed which;

    if (e || (sc->flags & SCOPE_FILE_ONLY)) {
	*value = e ? e->value : 0;
	return (0);
    }
    for (which = 0; which < COMPUTED_COUNT; which++)
	if (strcmp(computed_params[which], name) == 0)
	    break;
    if (which == COMPUTED_COUNT) {
	*value = maincf_default(sc->cf, name);
	return (0);
    }
    if (cache->computed[which] == 0) {
	if (cache->computing[which])
	    return (expand_fail(&ops, context, name, err, "the default refers to itself"));
	cache->computing[which] = 1;
	cache->computed[which] = compute(sc->cf, depth, which, err);
	cache->computing[which] = 0;
	if (cache->computed[which] == 0)
	    return (-1);
    }
    *value = cache->computed[which];
    return (0);
}

/* maincf_lookup - the value in effect: main.cf, else the default */

const char *maincf_lookup(const MAINCF *cf, const char *name)
{
    struct scope sc = {.cf = cf};
    const char *value;
    char   *err = 0;

    /* A default that cannot be computed is reported when expanded. */
    if (lookup(&sc, name, 0, &value, &err) < 0) {
	free(err);
	return (0);
    }
    return (value);
}

/* maincf_expand - expand a text in the context of this main.cf */

int     maincf_expand(const MAINCF *cf, const char *text, strbuf *out, char **err)
{
    struct scope sc = {.cf = cf};

    return (expand_text(&ops, &sc, 0, 0, text, text + strlen(text), out, err));
}

/* maincf_eval - the expanded value of a parameter */

char   *maincf_eval(const MAINCF *cf, const char *name, char **err)
{
    struct scope sc = {.cf = cf};
    strbuf  out = STRBUF_INIT;
    const char *value;

    if (listed(raw_params, name)) {
	if (lookup(&sc, name, 0, &value, err) < 0)
	    return (0);
	if (value != 0)
	    return (xstrdup(value));
    }
    if (expand_name(&ops, &sc, 0, name, &out, err) < 0) {
	sb_free(&out);
	return (0);
    }
    return (sb_take(&out));
}

/* maincf_eval_or_die - maincf_eval(), any error fatal (after a prefix) */

char   *maincf_eval_or_die(const MAINCF *cf, const char *name, const char *prefix)
{
    char   *err, *value;

    if ((value = maincf_eval(cf, name, &err)) == 0)
	msg_fatal("%s%s", prefix ? prefix : "", err);
    return (value);
}

/* maincf_bool - evaluate a yes/no parameter */

int     maincf_bool(const MAINCF *cf, const char *name, int *result, char **err)
{
    char   *value = maincf_eval(cf, name, err);

    if (value == 0)
	return (-1);
    if (strcasecmp(value, "yes") == 0) {
	*result = 1;
    } else if (strcasecmp(value, "no") == 0) {
	*result = 0;
    } else {
	struct scope sc = {.cf = cf};
	char   *excerpt = msg_span(value, value + strlen(value));

	expand_fail(&ops, &sc, name, err, "bad value \"%s\": expected yes or no", excerpt);
	free(excerpt);
	free(value);
	return (-1);
    }
    free(value);
    return (0);
}

/* check_builtins - expand every built-in parameter the file sets */

static int check_builtins(const MAINCF *cf, char **err)
{
    const struct ptab_entry *first = 0;

    /*
     * Report the first failure in file order, not hash order, so that the
     * message does not depend on the table size.
     */
    for (size_t i = 0; i < cf->params.cap; i++) {
	const struct ptab_entry *e = cf->params.tab + i;
	char   *why = 0, *value;

	if (e->name == 0 || e->line == 0
	    || (maincf_default(cf, e->name) == 0 && !listed(computed_params, e->name))
	    || listed(raw_params, e->name) || listed(read_only_params, e->name)
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
	const char *name = computed_params[i];
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
	    ptab_store(&cf->params, xstrdup("config_directory"), xstrdup(config_dir), 0);
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
    const struct ptab_entry *e = ptab_find(&cf->params, name);

    return (e ? e->value : 0);
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
    ptab_free(&cf->params);
    for (size_t i = 0; i < COMPUTED_COUNT; i++)
	free(cf->cache->computed[i]);
    mastercf_free(cf->cache->services);
    free(cf->cache);
    free(cf->origin);
    free(cf->config_dir);
    free(cf);
}
