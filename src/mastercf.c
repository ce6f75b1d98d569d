/*
 * NAME
 *	mastercf 3
 * SUMMARY
 *	read master.cf files
 * SYNOPSIS
 *	#include "mastercf.h"
 *
 *	MASTERCF *mastercf_load(config_dir, err)
 *	const char *config_dir;
 *	char	**err;
 *
 *	MASTERCF *mastercf_parse(text, len, origin, err)
 *	const char *text;
 *	size_t	len;
 *	const char *origin;
 *	char	**err;
 *
 *	const char *mastercf_override(service, name)
 *	char	*mastercf_command(service)
 *	void	mastercf_free(cf)
 * DESCRIPTION
 *	This module reads master.cf as master(5) describes it and as
 *	"postconf -M", "-F" and "-P" show it; tests/mastercf/run compares
 *	the three on a corpus that includes the stock files.
 *
 *	Lines: a line that starts with white space continues the logical
 *	line before it; blank lines and lines whose first non-blank byte
 *	is "#" are skipped, also in the middle of a continued entry; a
 *	continuation line with nothing to continue is ignored with a
 *	warning. A logical line is split into fields at white space
 *	(space, tab, CR, LF), except that a field which opens a "{" runs
 *	to the matching "}" (or to the end of the line), white space
 *	included. The first seven fields are the service, its type,
 *	private, unprivileged, chroot, wakeup and process limit; the
 *	eighth is the command and the rest are its arguments. Fewer than
 *	eight fields, a type other than inet, unix, unix-dgram, fifo or
 *	pass, a yes/no field other than "y", "n" or "-", a wakeup other
 *	than a number or "-" (either with an optional "?"), or a process
 *	limit other than a number or "-" make the file unusable, as they
 *	make master(8) and postconf fail. So does a NUL byte, which
 *	postconf would silently cut a line at.
 *
 *	Arguments: the leading options of the command (up to the first
 *	argument that does not start with "-", or "-" or "--") are read the way
 *	the daemons read them: "-vo x" is "-v -o x"; "-oname=value" is
 *	"-o name=value"; the first argument after the options, when it is
 *	in "{ }", stands for its text without the braces and the white
 *	space inside them; "-o name=value" and "-o { name = value }"
 *	set a parameter for this service (white space around the name and
 *	the value dropped; the last setting of a name wins), unless a
 *	"--" came before it ("--ox=y" reads as "-- -o x=y"). A later
 *	argument keeps its braces only when the text inside has white
 *	space, which is then trimmed at both ends. The arguments are
 *	stored as "postconf -M" prints them: a -o setting whose text has white space
 *	inside comes back in braces. A missing "}", text after a "}", or
 *	a -o name with white space inside are not fatal (postconf only
 *	warns): they are recorded as warnings, one line each, with the
 *	origin and the line number.
 *
 *	Where postconf shows something other than what a daemon reads,
 *	the reader takes the daemon's side (these shapes are left out of the
 *	comparison): postconf displays "-osyslog_name=postfix/x" split at
 *	every "o" ("-o sysl -o g_name=p -o stfix/x"), where getopt(3) reads
 *	the whole rest as the value of -o; "postconf -P" shows some braced
 *	-o settings after the end of the options, which no daemon reads;
 *	and it merges the settings of two entries with one service name
 *	and type, where each entry here keeps its own.
 *
 *	mastercf_parse() reads text already in memory (origin names it in
 *	messages), mastercf_load() reads config_dir/master.cf. On failure
 *	both return NULL with a one-line message in *err that names the
 *	file and the line.
 *
 *	mastercf_override() returns the value that a service's -o sets
 *	for a parameter, or NULL. mastercf_command() returns, as new
 *	memory, the command and its arguments as "postconf -F" prints the
 *	command field.
 * SEE ALSO
 *	master(5), postconf(1), llines(3) (the logical lines)
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "llines.h"
#include "mastercf.h"
#include "msg.h"
#include "util.h"

#define IS_SEP(c)	((c) == ' ' || (c) == '\t' || (c) == '\r' || (c) == '\n')

const char *const mastercf_field_names[MCF_NFIELDS] = {
    "service", "type", "private", "unprivileged", "chroot", "wakeup",
    "process_limit", "command",
};

 /*
  * The state of one parse: where messages point.
  */
struct parse {
    MASTERCF *cf;
    size_t  lineno;			/* of the line read last */
};

/* warn - record a warning about the current logical line */

static void warn(struct parse *p, const char *what, const char *text)
{
    strbuf  sb = STRBUF_INIT;

    sb_printf(&sb, "%s, line %zu: %s", p->cf->origin, p->lineno, what);
    if (text) {
	char   *excerpt = msg_excerpt(text, strlen(text), MSG_EXCERPT_MAX);

	sb_printf(&sb, ": \"%s\"", excerpt);
	free(excerpt);
    }
    sl_add_owned(&p->cf->warnings, sb_take(&sb));
}

/* has_space - does a text hold white space? */

static int has_space(const char *s)
{
    for (; *s; s++)
	if (ascii_space(*s))
	    return (1);
    return (0);
}

/* match_brace - the "}" that closes the "{" at s, or NULL */

static const char *match_brace(const char *s)
{
    int     depth = 0;

    for (; *s; s++) {
	if (*s == '{')
	    depth++;
	else if (*s == '}' && --depth == 0)
	    return (s);
    }
    return (0);
}

/* next_field - the next field of a logical line, or NULL at its end */

static char *next_field(const char **cpp)
{
    const char *cp = *cpp, *start;
    int     depth = 0;

    while (*cp && IS_SEP(*cp))
	cp++;
    if (*cp == 0)
	return (0);
    for (start = cp; *cp && (depth > 0 || !IS_SEP(*cp)); cp++) {
	if (*cp == '{')
	    depth++;
	else if (*cp == '}' && depth > 0)
	    depth--;
    }
    *cpp = cp;
    return (xstrndup(start, (size_t) (cp - start)));
}

/* unbrace - the text inside "{ }", warning when the braces are wrong */

static char *unbrace(struct parse *p, const char *arg)
{
    const char *close = match_brace(arg);

    if (close == 0) {
	warn(p, "missing '}'", arg);
	return (trim_copy(arg + 1, arg + strlen(arg)));
    }
    if (close[1] != 0)
	warn(p, "text after '}'", arg);
    return (trim_copy(arg + 1, close));
}

/* braced_if_spaced - a text as postconf prints an argument: in braces
   when it has white space inside */

static char *braced_if_spaced(char *text)
{
    char   *out;

    if (!has_space(text))
	return (text);
    out = xasprintf("{%s}", text);
    free(text);
    return (out);
}

/* set_override - record -o name=value; the last one wins */

static void set_override(struct mastercf_service *svc, char *name, char *value)
{
    for (size_t i = 0; i < svc->nov; i++) {
	if (strcmp(svc->ov[i].name, name) == 0) {
	    free(name);
	    free(svc->ov[i].value);
	    svc->ov[i].value = value;
	    return;
	}
    }
    svc->ov = xrealloc(svc->ov, (svc->nov + 1) * sizeof(*svc->ov));
    svc->ov[svc->nov].name = name;
    svc->ov[svc->nov].value = value;
    svc->nov++;
}

/* normal_setting - the text after -o as "name=value" where it is one */

static char *normal_setting(struct parse *p, char *text, int braced)
{
    const char *eq = strchr(text, '=');
    char   *name, *value, *norm;

    if (eq == 0) {
	/* Only text in braces can be wrong here; postconf then warns. */
	if (braced)
	    warn(p, "missing '=' after parameter name", text);
	return (text);
    }
    name = trim_copy(text, eq);
    value = trim_copy(eq + 1, eq + strlen(eq));
    if (has_space(name) || *name == 0) {
	if (braced)
	    warn(p, *name ? "missing '=' after parameter name" :
		 "missing parameter name", text);
	norm = text;
    } else {
	norm = xasprintf("%s=%s", name, value);
	free(text);
    }
    free(name);
    free(value);
    return (norm);
}

 /*
  * The arguments after the command, in two forms: as postconf prints them,
  * and as the daemon's option parser reads them.
  */
struct args {
    strlist printed;
    strlist read;
};

/* push - one argument in both forms; takes the read form */

static void push(struct args *a, char *read, int brace)
{
    sl_add(&a->printed, read);
    if (brace) {
	free(a->printed.v[a->printed.n - 1]);
	a->printed.v[a->printed.n - 1] = braced_if_spaced(xstrdup(read));
    }
    sl_add_owned(&a->read, read);
}

/* end_of_options - an argument that ends the options */

static int end_of_options(const char *arg)
{
    return (arg[0] != '-' || strcmp(arg, "--") == 0 || strcmp(arg, "-") == 0);
}

/* add_args - the arguments after the command */

static void add_args(struct parse *p, struct mastercf_service *svc, char **argv, size_t argc)
{
    struct args a = {STRLIST_INIT, STRLIST_INIT};
    size_t  i = 0;
    char   *o;

    /*
     * The options first, normalized as postconf does: "-vo x" is "-v -o x",
     * "-ox" is "-o x", and what follows -o is "name=value" without braces
     * or white space around the name and the value. The first argument that
     * is no option ends them, after its braces are taken off.
     */
    for (; i < argc; i++) {
	const char *arg = argv[i];

	if (end_of_options(arg)) {
	    push(&a, arg[0] == '{' ? unbrace(p, arg) : xstrdup(arg), 0);
	    i++;
	    break;
	}
	if ((o = strchr(arg + 1, 'o')) == 0) {
	    push(&a, xstrdup(arg), 0);
	    continue;
	}
	if (o > arg + 1)
	    push(&a, xstrndup(arg, (size_t) (o - arg)), 0);
	push(&a, xstrdup("-o"), 0);
	if (o[1] != 0) {
	    push(&a, normal_setting(p, xstrdup(o + 1), 0), 1);
	} else if (i + 1 < argc) {
	    i++;
	    push(&a, argv[i][0] == '{' ?
		 normal_setting(p, unbrace(p, argv[i]), 1) :
		 normal_setting(p, xstrdup(argv[i]), 0), 1);
	}
    }
    /* The rest as written, braces normalized. */
    for (; i < argc; i++)
	push(&a, argv[i][0] == '{' ? unbrace(p, argv[i]) : xstrdup(argv[i]),
	     argv[i][0] == '{');

    /* What the daemon reads: -o name=value up to the end of the options. */
    for (i = 0; i < a.read.n && !end_of_options(a.read.v[i]); i++) {
	const char *eq;

	if (strcmp(a.read.v[i], "-o") != 0 || i + 1 >= a.read.n)
	    continue;
	if ((eq = strchr(a.read.v[++i], '=')) != 0) {
	    char   *name = trim_copy(a.read.v[i], eq);

	    if (*name && !has_space(name))
		set_override(svc, name, trim_copy(eq + 1, eq + strlen(eq)));
	    else
		free(name);
	}
    }
    svc->args = a.printed;
    sl_free(&a.read);
}

/* valid_yn - "y", "n" or "-" */

static int valid_yn(const char *s)
{
    return (strcmp(s, "y") == 0 || strcmp(s, "n") == 0 || strcmp(s, "-") == 0);
}

/* valid_number - a decimal number, or "-" */

static int valid_number(const char *s, size_t len)
{
    if (len == 1 && *s == '-')
	return (1);
    if (len == 0)
	return (0);
    for (size_t i = 0; i < len; i++)
	if (s[i] < '0' || s[i] > '9')
	    return (0);
    return (1);
}

/* bad_field - which fixed field is invalid, or -1 */

static int bad_field(char **field)
{
    static const char *types[] = {"inet", "unix", "unix-dgram", "fifo", "pass", 0};
    const char **tp;
    size_t  len;

    for (tp = types; *tp && strcmp(*tp, field[MCF_TYPE]) != 0; tp++)
	 /* void */ ;
    if (*tp == 0)
	return (MCF_TYPE);
    for (int f = MCF_PRIVATE; f <= MCF_CHROOT; f++)
	if (!valid_yn(field[f]))
	    return (f);
    len = strlen(field[MCF_WAKEUP]);
    if (len > 0 && field[MCF_WAKEUP][len - 1] == '?')
	len--;
    if (!valid_number(field[MCF_WAKEUP], len))
	return (MCF_WAKEUP);
    if (!valid_number(field[MCF_MAXPROC], strlen(field[MCF_MAXPROC])))
	return (MCF_MAXPROC);
    return (-1);
}

/* service_free - release one entry */

static void service_free(struct mastercf_service *svc)
{
    for (int f = 0; f < MCF_NFIELDS; f++)
	free(svc->field[f]);
    sl_free(&svc->args);
    for (size_t i = 0; i < svc->nov; i++) {
	free(svc->ov[i].name);
	free(svc->ov[i].value);
    }
    free(svc->ov);
}

/* add_entry - parse one logical line into a service */

static int add_entry(struct parse *p, const char *line, char **err)
{
    struct mastercf_service svc;
    strlist fields = STRLIST_INIT;
    const char *cp = line;
    char   *f;
    int     bad;

    while ((f = next_field(&cp)) != 0)
	sl_add_owned(&fields, f);
    if (fields.n < MCF_NFIELDS) {
	*err = xasprintf("%s, line %zu: bad field count", p->cf->origin, p->lineno);
	sl_free(&fields);
	return (-1);
    }
    memset(&svc, 0, sizeof(svc));
    svc.line = p->lineno;
    for (int i = 0; i < MCF_NFIELDS; i++)
	svc.field[i] = xstrdup(fields.v[i]);
    if ((bad = bad_field(svc.field)) >= 0) {
	size_t  len = strlen(svc.field[bad]);
	char   *shown;

	/* At most MSG_EXCERPT_MAX bytes and no "...": the form this message has. */
	shown = msg_excerpt(svc.field[bad], len < MSG_EXCERPT_MAX ? len : MSG_EXCERPT_MAX,
			    MSG_EXCERPT_MAX);
	*err = xasprintf("%s, line %zu: invalid %s field \"%s\"", p->cf->origin,
			 p->lineno, mastercf_field_names[bad], shown);
	free(shown);
	service_free(&svc);
	sl_free(&fields);
	return (-1);
    }
    add_args(p, &svc, fields.v + MCF_NFIELDS, fields.n - MCF_NFIELDS);
    sl_free(&fields);
    p->cf->v = xrealloc(p->cf->v, (p->cf->n + 1) * sizeof(*p->cf->v));
    p->cf->v[p->cf->n++] = svc;
    return (0);
}

/* mastercf_parse - read master.cf text */

MASTERCF *mastercf_parse(const char *text, size_t len, const char *origin, char **err)
{
    struct parse p;
    LLINES  lines;
    const char *line;
    size_t  linelen;
    int     got;

    p.cf = xcalloc(1, sizeof(*p.cf));
    p.cf->origin = xstrdup(origin);
    llines_init(&lines, text, len, origin);
    while ((got = llines_next(&lines, &line, &linelen, &p.lineno, err)) != LLINES_END) {
	if (got == LLINES_ERROR
	    || (got == LLINES_LINE && add_entry(&p, line, err) < 0)) {
	    llines_free(&lines);
	    mastercf_free(p.cf);
	    return (0);
	}
	if (got == LLINES_ORPHAN)
	    warn(&p, "continuation line with nothing to continue", line);
    }
    llines_free(&lines);
    return (p.cf);
}

/* mastercf_load - read config_dir/master.cf */

MASTERCF *mastercf_load(const char *config_dir, char **err)
{
    char   *path = xasprintf("%s/master.cf", config_dir);
    strbuf  text = STRBUF_INIT;
    MASTERCF *cf = 0;

    if (read_file(path, &text, MASTERCF_SIZE_LIMIT) < 0)
	*err = xasprintf("read %s: %s", path, strerror(errno));
    else
	cf = mastercf_parse(text.s ? text.s : "", text.len, path, err);
    sb_free(&text);
    free(path);
    return (cf);
}

/* mastercf_override - what a service's -o sets for name, or NULL */

const char *mastercf_override(const struct mastercf_service *svc, const char *name)
{
    for (size_t i = 0; i < svc->nov; i++)
	if (strcmp(svc->ov[i].name, name) == 0)
	    return (svc->ov[i].value);
    return (0);
}

/* mastercf_command - the command field as postconf -F prints it */

char   *mastercf_command(const struct mastercf_service *svc)
{
    strbuf  sb = STRBUF_INIT;

    sb_puts(&sb, svc->field[MCF_COMMAND]);
    for (size_t i = 0; i < svc->args.n; i++) {
	sb_addc(&sb, ' ');
	sb_puts(&sb, svc->args.v[i]);
    }
    return (sb_take(&sb));
}

/* mastercf_free - release what the reader made */

void    mastercf_free(MASTERCF *cf)
{
    if (cf == 0)
	return;
    for (size_t i = 0; i < cf->n; i++)
	service_free(cf->v + i);
    free(cf->v);
    sl_free(&cf->warnings);
    free(cf->origin);
    free(cf);
}
