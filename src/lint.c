/*
 * NAME
 *	lint 3
 * SUMMARY
 *	check the multi-instance configuration for mistakes
 * SYNOPSIS
 *	#include "lint.h"
 *
 *	int	lint_run(tab, json, omit)
 *	struct insttab *tab;
 *	int	json;
 *	const strlist *omit;
 *
 *	int	lint_code_known(code)
 *	const char *code;
 * DESCRIPTION
 *	lint_run() reads the main.cf and master.cf of every instance in
 *	the table and reports each problem it finds as one line on
 *	standard output:
 *
 *	    config_directory: severity: code: text
 *
 *	or, with json, one JSON object per line, with the members code,
 *	severity ("error", "warning" or "info"), name ("-" for none),
 *	config_directory and text, in that order. A problem between two
 *	instances is reported on the later one in the table, naming the
 *	earlier one. A damaged instance is a problem too; the others are
 *	still checked. A problem whose code is in omit (-X) is left out.
 *	The result is LINT_ERRORS (1) when there is an error,
 *	LINT_WARNINGS (2) when there are warnings only, 0 when there is
 *	nothing. Each message ends with the fix where one command makes
 *	it ("; fix: ..."). lint_code_known() tells whether a code is one
 *	of those below.
 *
 *	The codes (man/postmulti.1 explains each):
 *
 *	listener-clash, listener-clash-disabled, listener-unresolved,
 *	syslog-name-shared, service-log-tag, nameless,
 *	alternate-and-multi, missing-directory, shared-directory-differs,
 *	not-running, disabled-running, state-unknown, main-cf-damaged,
 *	master-cf-damaged, master-cf-warning; with -v (msg_verbose)
 *	the informational berkeley-db, which does not count in the
 *	result: every hash: and btree: table that a parameter (set or
 *	default) or a master.cf -o override names, expanded, with the
 *	lmdb table that replaces it.
 *
 *	Listeners: an inet service of master.cf binds, for each protocol
 *	of inet_protocols, the host of its "host:port" name, or else every
 *	address of inet_interfaces ("all" is the wildcard of each family,
 *	"loopback-only" 127.0.0.1 and ::1). The port is a number or a name
 *	from the services database. Two listeners clash when they have the
 *	same family and port and the same address, or one of them is the
 *	wildcard (Postfix binds IPv6 sockets to IPv6 only, so the families
 *	never overlap). A service that master_service_disable turns off
 *	(as master(8) reads it: "name/type", a type, the older
 *	"name.type", "!" to except) binds nothing. A clash is an error
 *	when both instances are enabled, a warning when either is
 *	disabled.
 * SEE ALSO
 *	listener(3), mastercf(3)
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "defaults.h"
#include "hostinfo.h"
#include "lint.h"
#include "listener.h"
#include "maincf.h"
#include "mastercf.h"
#include "master.h"
#include "msg.h"
#include "util.h"

 /*
  * The listeners of one inet service.
  */
struct bound {
    const struct mastercf_service *svc;
    struct listeners ls;
};

 /*
  * What the lint knows about one instance.
  */
struct linted {
    const struct instance *inst;
    MAINCF *cf;				/* NULL when unusable */
    int     own_cf;			/* cf is ours to free */
    MASTERCF *mcf;			/* NULL when unusable */
    const char *syslog_name;		/* the instance's; NULL when unknown */
    struct bound *bound;
    size_t  nbound;
};

struct lint {
    struct insttab *tab;
    struct linted *v;
    strbuf *out;			/* the report of each instance */
    int     json;
    const strlist *omit;		/* -X: codes left out */
    int     errors;
    int     warnings;
};

 /*
  * Every code the lint reports (man/postmulti.1 explains each).
  */
static const char *const lint_codes[] = {
    "listener-clash", "listener-clash-disabled", "listener-unresolved",
    "syslog-name-shared", "service-log-tag", "nameless", "alternate-and-multi",
    "missing-directory", "shared-directory-differs", "not-running",
    "disabled-running", "state-unknown", "main-cf-damaged", "master-cf-damaged",
    "master-cf-warning", "berkeley-db",
};

/* lint_code_known - is this a code the lint reports? */

int     lint_code_known(const char *code)
{
    for (size_t i = 0; i < sizeof(lint_codes) / sizeof(lint_codes[0]); i++)
	if (strcmp(lint_codes[i], code) == 0)
	    return (1);
    return (0);
}

/* report - one problem of one instance, kept for the instance's report */

static void __attribute__((format(printf, 5, 6)))
        report(struct lint *lt, const struct instance *inst, const char *severity,
	               const char *code, const char *fmt,...)
{
    strbuf  text = STRBUF_INIT;
    strbuf *out = lt->out + (inst - lt->tab->v);
    va_list ap;

    if (lt->omit && sl_find(lt->omit, code) >= 0)
	return;
    va_start(ap, fmt);
    sb_vprintf(&text, fmt, ap);
    va_end(ap);
    if (lt->json) {
	sb_puts(out, "{\"code\": ");
	sb_json(out, code);
	sb_puts(out, ",\"severity\": ");
	sb_json(out, severity);
	sb_puts(out, ",\"name\": ");
	sb_json(out, *inst->name ? inst->name : "-");
	sb_puts(out, ",\"config_directory\": ");
	sb_json(out, inst->config_dir);
	sb_puts(out, ",\"text\": ");
	sb_json(out, text.s);
	sb_puts(out, "}\n");
    } else {
	sb_printf(out, "%s: %s: %s: %s\n", inst->config_dir, severity, code, text.s);
    }
    sb_free(&text);
    if (strcmp(severity, "error") == 0)
	lt->errors++;
    else if (strcmp(severity, "warning") == 0)
	lt->warnings++;
}

/* eval - a parameter of an instance, or NULL (then reported) */

static char *eval(struct lint *lt, struct linted *li, const char *name)
{
    char   *err, *value;

    if ((value = maincf_eval(li->cf, name, &err)) == 0) {
	report(lt, li->inst, "error", "main-cf-damaged", "%s", err);
	free(err);
    }
    return (value);
}

/* check_dir - report a directory that is missing; 0 when it is there */

static int check_dir(struct lint *lt, const struct instance *inst, const char *what,
		             const char *dir)
{
    struct stat st;

    if (stat(dir, &st) < 0) {
	report(lt, inst, "error", "missing-directory", "%s %s: %s", what, dir,
	       errno == ENOENT ? "does not exist" : strerror(errno));
	return (-1);
    }
    if (!S_ISDIR(st.st_mode)) {
	report(lt, inst, "error", "missing-directory", "%s %s: not a directory",
	       what, dir);
	return (-1);
    }
    return (0);
}

/* read_instance - load one instance's files, reporting what is wrong */

static void read_instance(struct lint *lt, struct linted *li)
{
    const struct instance *inst = li->inst;
    char   *err;

    if (check_dir(lt, inst, "config_directory", inst->config_dir) < 0)
	return;
    if (inst->damage) {
	report(lt, inst, "error", "main-cf-damaged", "%s", inst->damage);
    } else if (inst->primary) {
	li->cf = lt->tab->conf.cf;
    } else if ((li->cf = maincf_load(inst->config_dir, &err)) == 0) {
	report(lt, inst, "error", "main-cf-damaged", "%s", err);
	free(err);
    } else {
	li->own_cf = 1;
    }
    if ((li->mcf = mastercf_load(inst->config_dir, &err)) == 0) {
	report(lt, inst, "error", "master-cf-damaged", "%s", err);
	free(err);
    } else {
	for (size_t i = 0; i < li->mcf->warnings.n; i++)
	    report(lt, inst, "warning", "master-cf-warning", "%s", li->mcf->warnings.v[i]);
    }
    if (li->cf) {
	if (inst->damage == 0) {
	    (void) check_dir(lt, inst, "queue_directory", inst->queue_dir);
	    (void) check_dir(lt, inst, "data_directory", inst->data_dir);
	}
	li->syslog_name = inst->syslog_name;
    }
}

/*
 * service_disabled - does master_service_disable turn a service off?
 *
 * What master(8) does with the list: each pattern is "name/type", or a
 * type alone; a pattern without "/" but with a "." is the older form
 * "name.type", its last "." read as the "/". Each leading "!" inverts
 * the pattern. The patterns are compared in order, without regard to
 * case, "name/type" with the whole of the service's name and type, a
 * type alone with its type; the first that compares equal decides
 * (disabled, or with an odd number of "!" not), and a service that none
 * matches is not disabled.
 */

static int service_disabled(const strlist *disable, const struct mastercf_service *svc)
{
    const char *type = svc->field[MCF_TYPE];
    char   *full = xasprintf("%s/%s", svc->field[MCF_SERVICE], type);
    int     verdict = 0;

    for (size_t i = 0; i < disable->n; i++) {
	char   *pattern = xstrdup(disable->v[i]);
	char   *p = pattern, *dot;
	int     disables = 1, equal;

	if (strchr(pattern, '/') == 0 && (dot = strrchr(pattern, '.')) != 0)
	    *dot = '/';
	for (; *p == '!'; p++)
	    disables = !disables;
	equal = strcasecmp(strchr(p, '/') ? full : type, p) == 0;
	free(pattern);
	if (equal) {
	    verdict = disables;
	    break;
	}
    }
    free(full);
    return (verdict);
}

/* find_listeners - what the inet services of one instance bind */

static void find_listeners(struct lint *lt, struct linted *li)
{
    char   *protocols, *interfaces, *disable, *proto_err = 0;
    strlist ifaces = STRLIST_INIT, off = STRLIST_INIT;
    int     v4 = 0, v6 = 0, proto_mask;

    if (li->cf == 0 || li->mcf == 0)
	return;
    protocols = eval(lt, li, "inet_protocols");
    interfaces = eval(lt, li, "inet_interfaces");
    disable = eval(lt, li, "master_service_disable");
    if (protocols == 0 || interfaces == 0 || disable == 0)
	goto done;
    /* What Postfix refuses binds nothing: its master would not start. */
    if ((proto_mask = host_protocols(protocols, &proto_err)) < 0) {
	free(proto_err);
	goto done;
    }
    v4 = (proto_mask & HOST_IPV4) != 0;
    v6 = (proto_mask & HOST_IPV6) != 0;
    sl_split(&ifaces, interfaces, LIST_SEPARATORS);
    sl_split(&off, disable, LIST_SEPARATORS);
    li->bound = xcalloc(li->mcf->n + 1, sizeof(*li->bound));
    for (size_t s = 0; s < li->mcf->n; s++) {
	const struct mastercf_service *svc = li->mcf->v + s;
	const char *name = svc->field[MCF_SERVICE];
	const char *colon = strrchr(name, ':');
	struct bound *b = li->bound + li->nbound;
	char   *host;
	int     port;

	if (strcmp(svc->field[MCF_TYPE], "inet") != 0 || service_disabled(&off, svc))
	    continue;
	b->svc = svc;
	if ((port = listener_port(colon ? colon + 1 : name)) < 0) {
	    report(lt, li->inst, "warning", "listener-unresolved",
		   "service %s/inet: unknown port \"%s\"", name, colon ? colon + 1 : name);
	    continue;
	}
	if (colon) {
	    host = xstrndup(name, (size_t) (colon - name));
	    if (!listeners_add(&b->ls, host, port, v4, v6))
		report(lt, li->inst, "warning", "listener-unresolved",
		       "service %s/inet: unknown host \"%s\"", name, host);
	    free(host);
	} else {
	    for (size_t i = 0; i < ifaces.n; i++)
		if (!listeners_add(&b->ls, ifaces.v[i], port, v4, v6))
		    report(lt, li->inst, "warning", "listener-unresolved",
			   "service %s/inet: unknown inet_interfaces host \"%s\"",
			   name, ifaces.v[i]);
	}
	li->nbound++;
    }
done:
    free(protocols);
    free(interfaces);
    free(disable);
    sl_free(&ifaces);
    sl_free(&off);
}

/* clash - report two services that bind one address, if they do */

static void clash(struct lint *lt, const struct linted *li, const struct bound *a,
		          const struct linted *other, const struct bound *b)
{
    for (size_t i = 0; i < a->ls.n; i++) {
	for (size_t j = 0; j < b->ls.n; j++) {
	    const struct listener *la = a->ls.v + i, *lb = b->ls.v + j;
	    char   *where;
	    int     enabled = li->inst->enabled && other->inst->enabled;

	    if (!listener_overlap(la, lb))
		continue;
	    where = listener_show(la->any ? lb : la);
	    if (li == other)
		report(lt, li->inst, enabled ? "error" : "warning",
		       enabled ? "listener-clash" : "listener-clash-disabled",
		       "services %s/inet and %s/inet both bind %s%s",
		       b->svc->field[MCF_SERVICE], a->svc->field[MCF_SERVICE], where,
		       enabled ? "" : " (this instance is disabled)");
	    else
		report(lt, li->inst, enabled ? "error" : "warning",
		       enabled ? "listener-clash" : "listener-clash-disabled",
		       "service %s/inet binds %s, as service %s/inet of %s does%s",
		       a->svc->field[MCF_SERVICE], where, b->svc->field[MCF_SERVICE],
		       other->inst->config_dir, enabled ? "" :
		       !li->inst->enabled ? " (this instance is disabled)" :
		       " (that instance is disabled)");
	    free(where);
	    return;
	}
    }
}

/* check_listeners - the services of one instance against those before */

static void check_listeners(struct lint *lt, size_t idx)
{
    struct linted *li = lt->v + idx;

    for (size_t s = 0; s < li->nbound; s++) {
	for (size_t o = 0; o <= idx; o++) {
	    struct linted *other = lt->v + o;
	    size_t  n = o == idx ? s : other->nbound;

	    for (size_t t = 0; t < n; t++)
		clash(lt, li, li->bound + s, other, other->bound + t);
	}
    }
}

/* log_prefix - the part of a syslog_name before any "/", in static memory */

static const char *log_prefix(const char *syslog_name)
{
    static char buf[256];
    size_t  len = strcspn(syslog_name, "/");

    if (len >= sizeof(buf))
	len = sizeof(buf) - 1;
    memcpy(buf, syslog_name, len);
    buf[len] = 0;
    return (buf);
}

/* check_logging - log names that cannot be told from another's */

static void check_logging(struct lint *lt, size_t idx)
{
    struct linted *li = lt->v + idx;

    if (li->syslog_name == 0)
	return;
    for (size_t o = 0; o < idx; o++) {
	if (lt->v[o].syslog_name && strcmp(lt->v[o].syslog_name, li->syslog_name) == 0) {
	    if (*li->inst->name)
		report(lt, li->inst, "warning", "syslog-name-shared",
		       "syslog_name \"%s\" is also that of %s; fix: postconf -c %s -e"
		       " 'syslog_name = ${multi_instance_name}'", li->syslog_name,
		       lt->v[o].inst->config_dir, li->inst->config_dir);
	    else
		report(lt, li->inst, "warning", "syslog-name-shared",
		       "syslog_name \"%s\" is also that of %s; fix: name the instance"
		       " (postmulti -i %s -e assign -I postfix-NAME) or set its syslog_name",
		       li->syslog_name, lt->v[o].inst->config_dir, li->inst->config_dir);
	    break;
	}
    }
    if (li->mcf == 0)
	return;
    for (size_t s = 0; s < li->mcf->n; s++) {
	const struct mastercf_service *svc = li->mcf->v + s;
	const char *tag = mastercf_override(svc, "syslog_name");
	strbuf  out = STRBUF_INIT;
	char   *err = 0, *slash;

	if (tag == 0)
	    continue;
	if (maincf_expand(li->cf, tag, &out, &err) < 0) {
	    report(lt, li->inst, "error", "master-cf-damaged",
		   "service %s/%s: -o syslog_name=%s: %s", svc->field[MCF_SERVICE],
		   svc->field[MCF_TYPE], tag, err);
	    free(err);
	    sb_free(&out);
	    continue;
	}
	/* The tag's first part is what tells the instance apart. */
	if (out.s && (slash = strchr(out.s, '/')) != 0)
	    *slash = 0;
	if (out.s && strcmp(out.s, li->syslog_name) != 0) {
	    for (size_t o = 0; o < lt->tab->n; o++) {
		if (o != idx && lt->v[o].syslog_name
		    && strcmp(lt->v[o].syslog_name, out.s) == 0) {
		    report(lt, li->inst, "warning", "service-log-tag",
			   "service %s/%s logs under \"%s\", the syslog_name of %s"
			   " (-o syslog_name=%s); fix: postconf -c %s -P"
			   " '%s/%s/syslog_name=%s/$service_name'", svc->field[MCF_SERVICE],
			   svc->field[MCF_TYPE], out.s, lt->v[o].inst->config_dir, tag,
			   li->inst->config_dir, svc->field[MCF_SERVICE],
			   svc->field[MCF_TYPE], log_prefix(li->syslog_name));
		    break;
		}
	    }
	}
	sb_free(&out);
    }
}

/* check_registration - names, lists and shared directories */

static void check_registration(struct lint *lt, size_t idx, const strlist *alternate)
{
    struct linted *li = lt->v + idx;
    const struct primary_conf *conf = &lt->tab->conf;
    static const char *shared[] = {
	"command_directory", "daemon_directory", "shlib_directory", "meta_directory",
    };

    if (li->inst->primary)
	return;
    for (size_t i = 0; i < alternate->n; i++) {
	if (alternate->v[i][0] == '/' && path_same(alternate->v[i], li->inst->config_dir)) {
	    report(lt, li->inst, "warning", "alternate-and-multi",
		   "%s is listed in both multi_instance_directories and"
		   " alternate_config_directories; fix: remove it from the primary's"
		   " alternate_config_directories", li->inst->config_dir);
	    break;
	}
    }
    if (li->cf == 0 || li->inst->damage)
	return;
    if (*li->inst->name == 0)
	report(lt, li->inst, "warning", "nameless",
	       "secondary instance without a multi_instance_name; fix: postmulti -i %s"
	       " -e assign -I postfix-NAME", li->inst->config_dir);
    for (size_t i = 0; i < sizeof(shared) / sizeof(shared[0]); i++) {
	const char *primary = i == 0 ? conf->command_dir : i == 1 ? conf->daemon_dir :
	i == 2 ? conf->shlib_dir : conf->meta_dir;
	char   *value = eval(lt, li, shared[i]);

	if (value && !path_same(value, primary))
	    report(lt, li->inst, "error", "shared-directory-differs",
		   "%s %s differs from the primary instance's %s", shared[i],
		   value, primary);
	free(value);
    }
}

/* check_state - an instance that runs when it should not, or the reverse */

static void check_state(struct lint *lt, struct linted *li)
{
    struct master_state ms;

    if (li->inst->damage || li->cf == 0)
	return;
    master_state(li->inst->queue_dir, &ms);
    if (ms.run == MASTER_UNKNOWN)
	report(lt, li->inst, "warning", "state-unknown", "%s", ms.why);
    else if (li->inst->enabled && ms.run == MASTER_STOPPED)
	report(lt, li->inst, "error", "not-running",
	       "enabled, but its master process is not running; fix: postfix -c %s start",
	       li->inst->config_dir);
    else if (!li->inst->enabled && ms.run == MASTER_RUNNING)
	report(lt, li->inst, "error", "disabled-running",
	       "disabled, but its master process runs (pid %ld):"
	       " \"postfix stop\" will not stop it; fix: postfix -c %s stop",
	       (long) ms.pid, li->inst->config_dir);
}

/* Berkeley DB readiness: every hash: and btree: table an instance names. */

struct bdb_table {
    char   *table;			/* "hash:/etc/aliases", expanded */
    strlist where;			/* the parameters that name it */
};

struct bdb_tables {
    struct bdb_table *v;
    size_t  n;
};

/* bdb_note - the Berkeley DB tables in one expanded value */

static void bdb_note(struct bdb_tables *bt, const char *value, const char *where)
{
    strlist words = STRLIST_INIT;

    /* Lists, and the tables inside pipemap:{...} and unionmap:{...}. */
    sl_split(&words, value, " \t\r\n,{}");
    for (size_t i = 0; i < words.n; i++) {
	const char *t = words.v[i];
	size_t  k;

	while (strncmp(t, "proxy:", 6) == 0)
	    t += 6;
	if (strncmp(t, "hash:", 5) != 0 && strncmp(t, "btree:", 6) != 0)
	    continue;
	for (k = 0; k < bt->n && strcmp(bt->v[k].table, t) != 0; k++)
	     /* void */ ;
	if (k == bt->n) {
	    bt->v = xrealloc(bt->v, (bt->n + 1) * sizeof(*bt->v));
	    bt->v[k].table = xstrdup(t);
	    memset(&bt->v[k].where, 0, sizeof(bt->v[k].where));
	    bt->n++;
	}
	if (sl_find(&bt->v[k].where, where) < 0)
	    sl_add(&bt->v[k].where, where);
    }
    sl_free(&words);
}

/* by_name - qsort helper */

static int by_name(const void *a, const void *b)
{
    return (strcmp(*(char *const *) a, *(char *const *) b));
}

/* check_berkeley_db - report the instance's hash: and btree: tables */

static void check_berkeley_db(struct lint *lt, struct linted *li)
{
    struct bdb_tables bt = {.n = 0};
    strlist names = STRLIST_INIT;
    strbuf  buf = STRBUF_INIT;
    const char *name;

    if (li->inst->damage || li->cf == 0)
	return;
    /* Every parameter, set or default, as postconf -x shows them. */
    for (size_t i = 0; (name = default_name(i)) != 0; i++)
	sl_add(&names, name);
    maincf_service_names(li->cf, &names);
    maincf_names(li->cf, &names);
    qsort(names.v, names.n, sizeof(names.v[0]), by_name);
    for (size_t i = 0; i < names.n; i++) {
	char   *err, *value;

	if (i > 0 && strcmp(names.v[i], names.v[i - 1]) == 0)
	    continue;
	if ((value = maincf_eval(li->cf, names.v[i], &err)) == 0) {
	    free(err);
	    continue;
	}
	bdb_note(&bt, value, names.v[i]);
	free(value);
    }
    /* The -o overrides of master.cf, as postconf -Px shows them. */
    for (size_t s = 0; li->mcf && s < li->mcf->n; s++) {
	const struct mastercf_service *svc = li->mcf->v + s;

	for (size_t o = 0; o < svc->nov; o++) {
	    char   *err, *where;

	    sb_reset(&buf);
	    if (maincf_expand(li->cf, svc->ov[o].value, &buf, &err) < 0) {
		free(err);
		continue;
	    }
	    where = xasprintf("%s/%s -o %s", svc->field[MCF_SERVICE], svc->field[MCF_TYPE],
			      svc->ov[o].name);
	    bdb_note(&bt, buf.s, where);
	    free(where);
	}
    }
    for (size_t k = 0; k < bt.n; k++) {
	const char *table = bt.v[k].table, *path = strchr(table, ':') + 1;
	char   *where = sl_join(&bt.v[k].where, ", ");
	const char *how;

	if (sl_find(&bt.v[k].where, "alias_maps") >= 0
	    || sl_find(&bt.v[k].where, "alias_database") >= 0)
	    how = "build it with postalias lmdb:";
	else if (strstr(where, "_cache_map") || strstr(where, "verify_map"))
	    how = "Postfix makes this cache itself at lmdb:";
	else
	    how = "build it with postmap lmdb:";
	report(lt, li->inst, "info", "berkeley-db",
	       "%s (%s): Berkeley DB, which distributions are dropping; the lmdb table"
	       " replaces it: %s%s, and name that instead", table, where, how, path);
	free(where);
	free(bt.v[k].table);
	sl_free(&bt.v[k].where);
    }
    free(bt.v);
    sl_free(&names);
    sb_free(&buf);
}

/* lint_run - check every instance, report each problem */

int     lint_run(struct insttab *tab, int json, const strlist *omit)
{
    struct lint lt;
    strlist alternate = STRLIST_INIT;
    char   *alt;

    memset(&lt, 0, sizeof(lt));
    lt.tab = tab;
    lt.json = json;
    lt.omit = omit;
    lt.v = xcalloc(tab->n, sizeof(*lt.v));
    lt.out = xcalloc(tab->n, sizeof(*lt.out));
    alt = maincf_eval_or_die(tab->conf.cf, "alternate_config_directories", 0);
    sl_split(&alternate, alt, LIST_SEPARATORS);
    free(alt);

    /* Everyone's syslog_name first: a service tag may be another's. */
    for (size_t i = 0; i < tab->n; i++) {
	lt.v[i].inst = tab->v + i;
	read_instance(&lt, lt.v + i);
	find_listeners(&lt, lt.v + i);
    }
    for (size_t i = 0; i < tab->n; i++) {
	check_listeners(&lt, i);
	check_logging(&lt, i);
	check_registration(&lt, i, &alternate);
	check_state(&lt, lt.v + i);
	if (msg_verbose)
	    check_berkeley_db(&lt, lt.v + i);
    }
    for (size_t i = 0; i < tab->n; i++) {
	if (lt.out[i].len)
	    fwrite(lt.out[i].s, 1, lt.out[i].len, stdout);
	sb_free(lt.out + i);
    }
    if (fflush(stdout) != 0 || ferror(stdout))
	msg_fatal("write standard output: %s", strerror(errno));

    for (size_t i = 0; i < tab->n; i++) {
	struct linted *li = lt.v + i;

	if (li->own_cf)
	    maincf_free(li->cf);
	mastercf_free(li->mcf);
	for (size_t s = 0; s < li->nbound; s++)
	    free(li->bound[s].ls.v);
	free(li->bound);
    }
    free(lt.v);
    free(lt.out);
    sl_free(&alternate);
    return (lt.errors ? LINT_ERRORS : lt.warnings ? LINT_WARNINGS : 0);
}
