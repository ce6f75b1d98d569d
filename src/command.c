/*
 * NAME
 *	command 3
 * SUMMARY
 *	run commands and build their environment
 * SYNOPSIS
 *	#include "command.h"
 *
 *	void	env_inherit(env)
 *	strlist	*env;
 *
 *	void	env_set(env, name, value)
 *
 *	void	env_import(env, import_environment)
 *	const char *import_environment;
 *
 *	char	*command_search(name, path)
 *	const char *name;
 *	const char *path;
 *
 *	int	command_run(file, argv, env, flags)
 *	const char *file;
 *	char	**argv;
 *	const strlist *env;
 *	int	flags;
 *
 *	int	command_run_io(file, argv, env, in_fd, err_fd)
 *	const char *file;
 *	char	**argv;
 *	const strlist *env;
 *	int	in_fd;
 *	int	err_fd;
 * DESCRIPTION
 *	An environment is a strlist of "name=value" strings.
 *	env_inherit() copies the process environment, without entries
 *	that have no name and without the second of two entries with the
 *	same name (getenv() sees the first); env_set() adds or replaces
 *	a variable.
 *
 *	env_import() builds the clean environment that Postfix gives
 *	the programs it runs: only the variables that an
 *	import_environment value names ("NAME" imports NAME from this
 *	process, "NAME=value" sets it), each once (the last wins); an
 *	entry without a name ("=value") is dropped.
 *
 *	command_search() looks a command name up in a PATH value, as
 *	execvp() would, and returns the file it finds (the caller frees
 *	it), or a null pointer. "-x" looks up its command once, in the
 *	PATH it gives every instance, not once per instance.
 *
 *	command_run() runs file with argv (whose argv[0] the program
 *	sees as its name) and the environment, and waits for it. With
 *	COMMAND_QUIET its output goes to /dev/null. The result is the exit status, 128 plus
 *	the signal number when the command was killed, or 127 when it
 *	could not be run (with a warning that says why).
 *
 *	command_run_io() is command_run() with the command's standard
 *	input read from in_fd and its standard error written to err_fd
 *	(each -1: inherited).
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "command.h"
#include "msg.h"

extern char **environ;

/* env_find - position of a variable, or -1 */

static ssize_t env_find(const strlist *env, const char *name)
{
    size_t  len = strlen(name);

    for (size_t i = 0; i < env->n; i++)
	if (strncmp(env->v[i], name, len) == 0 && env->v[i][len] == '=')
	    return ((ssize_t) i);
    return (-1);
}

/* env_inherit - start from this process's environment */

void    env_inherit(strlist *env)
{
    for (char **cpp = environ; *cpp; cpp++) {
	char   *eq = strchr(*cpp, '='), *name;

	/* No nameless entry, each name once: the first, as getenv() sees. */
	if (eq == 0 || eq == *cpp)
	    continue;
	name = xstrndup(*cpp, (size_t) (eq - *cpp));
	if (env_find(env, name) < 0)
	    sl_add(env, *cpp);
	free(name);
    }
}

/* env_set - add or replace a variable */

void    env_set(strlist *env, const char *name, const char *value)
{
    ssize_t pos = env_find(env, name);
    char   *entry = xasprintf("%s=%s", name, value);

    if (pos >= 0) {
	free(env->v[pos]);
	env->v[pos] = entry;
    } else {
	sl_add_owned(env, entry);
    }
}

/* env_import - the variables that import_environment lets through */

void    env_import(strlist *env, const char *import_environment)
{
    strlist names = STRLIST_INIT;

    sl_split(&names, import_environment, LIST_SEPARATORS);
    for (size_t i = 0; i < names.n; i++) {
	char   *eq = strchr(names.v[i], '=');
	const char *value;

	/* "=value" names nothing: no nameless entry, as doas filters. */
	if (eq == names.v[i])
	    continue;
	if (eq) {
	    *eq = 0;
	    env_set(env, names.v[i], eq + 1);
	} else if ((value = getenv(names.v[i])) != 0) {
	    env_set(env, names.v[i], value);
	}
    }
    sl_free(&names);
}

/* command_search - find a command in a PATH value */

char   *command_search(const char *name, const char *path)
{
    strlist dirs = STRLIST_INIT;
    char   *found = 0;
    struct stat st;

    sl_split(&dirs, path ? path : "", ":");
    for (size_t i = 0; i < dirs.n && found == 0; i++) {
	char   *cand = xasprintf("%s/%s", dirs.v[i], name);

	if (stat(cand, &st) == 0 && S_ISREG(st.st_mode) && access(cand, X_OK) == 0)
	    found = cand;
	else
	    free(cand);
    }
    sl_free(&dirs);
    return (found);
}

/* command_run - run a command, wait for it, return its status */

static int command_spawn(const char *, char **, const strlist *, int, int, int);

int     command_run(const char *file, char **argv, const strlist *env, int flags)
{
    return (command_spawn(file, argv, env, flags, -1, -1));
}

/* command_run_io - run a command with its standard input and error given */

int     command_run_io(const char *file, char **argv, const strlist *env, int in_fd, int err_fd)
{
    return (command_spawn(file, argv, env, 0, in_fd, err_fd));
}

/* command_spawn - run a command and wait for it */

static int command_spawn(const char *file, char **argv, const strlist *env, int flags,
			         int in_fd, int err_fd)
{
    pid_t   pid;
    int     status, err;
    char   *empty[] = {0};
    posix_spawn_file_actions_t actions, *use_actions = 0;

    if ((flags & COMMAND_QUIET) || in_fd >= 0 || err_fd >= 0) {
	posix_spawn_file_actions_init(&actions);
	use_actions = &actions;
    }
    if (flags & COMMAND_QUIET) {
	posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0);
	posix_spawn_file_actions_adddup2(&actions, 1, 2);
    }
    if (in_fd >= 0)
	posix_spawn_file_actions_adddup2(&actions, in_fd, 0);
    if (err_fd >= 0)
	posix_spawn_file_actions_adddup2(&actions, err_fd, 2);
    fflush(stdout);
    err = posix_spawn(&pid, file, use_actions, 0, argv, env->v ? env->v : empty);
    if (use_actions)
	posix_spawn_file_actions_destroy(use_actions);
    if (err != 0) {
	msg_warn("execute %s: %s", argv[0], strerror(err));
	return (127);
    }
    while (waitpid(pid, &status, 0) < 0) {
	if (errno != EINTR)
	    msg_fatal("waitpid: %s", strerror(errno));
    }
    if (WIFSIGNALED(status))
	return (128 + WTERMSIG(status));
    return (WEXITSTATUS(status));
}
