#!/usr/bin/python
# -*- coding: utf-8 -*-
# MIT License; see the LICENSE file of the postmulti project.

from __future__ import absolute_import, division, print_function
__metaclass__ = type

DOCUMENTATION = r'''
---
module: postmulti
short_description: The desired state of one Postfix instance
description:
  - Reads the instances with C(postmulti -l -j -s), compares them with the
    desired state, and maps each difference to one C(postmulti -e) call
    (C(init), C(create), C(assign), C(enable), C(disable), C(destroy)).
    Nothing that already matches is touched, so a second run reports no
    change.
  - In check mode each call runs with C(-n) (postmulti's dry run), which
    checks everything and changes nothing; a call that depends on an
    earlier one (enable after create) cannot be dry-run and is reported
    as a command that would run.
  - In diff mode the result holds, for each call, the plan that C(-n)
    prints, with the unified diff of each C(main.cf) it would write.
  - "A failed call fails the task; C(msg) is postmulti's one
    C(postmulti: fatal:) line."
  - Needs the C implementation of postmulti (options C(-j), C(-s), C(-n)),
    not the one that comes with Postfix 3.7.
version_added: 1.0.0
author: postmulti maintainers
options:
  name:
    description:
      - The instance name (C(multi_instance_name)); it starts with
        C(postfix-). With I(config_directory), an existing unnamed
        instance (or one with another name) gets this name.
    type: str
  group:
    description:
      - The instance group (C(multi_instance_group)). An empty string or
        C(-) means no group. Left alone when not given.
    type: str
  state:
    description:
      - C(present) makes the instance exist (a new one is disabled);
        C(enabled) and C(disabled) also set C(multi_instance_enable);
        C(absent) destroys it with postmulti's C(destroy).
      - C(absent) refuses an instance that runs, unless I(stop=true), or
        whose queue holds mail or the log files Postfix keeps for mail
        (in C(defer), C(bounce), C(trace), C(flush)), unless
        I(purge_queue=true).
      - "When C(destroy) leaves anything in place (files that Postfix did
        not make), the task fails and C(msg) holds postmulti's warnings,
        which name each path; the instance is unregistered by then."
    type: str
    choices: [present, absent, enabled, disabled]
    default: present
  config_directory:
    description:
      - The configuration directory of a new instance (default the
        primary's with its last component replaced by I(name)). Also
        identifies an instance without a name.
    type: path
  queue_directory:
    description: The queue directory of a new instance.
    type: path
  data_directory:
    description: The data directory of a new instance.
    type: path
  before:
    description: Place a new instance just before this secondary instance (C(-i)).
    type: str
  before_group:
    description:
      - Place a new instance just before the first secondary member of
        this group (C(-g)).
    type: str
  first:
    description: Place a new instance first among the secondaries (C(-a)).
    type: bool
    default: false
  init:
    description:
      - Run C(postmulti -e init) first when the primary is not yet set up
        for multiple instances. Without I(name) and I(config_directory),
        this is all the task does.
    type: bool
    default: false
  stop:
    description:
      - With I(state=absent), stop a running instance
        (C(postfix -c DIR stop)) before it is destroyed.
    type: bool
    default: false
  purge_queue:
    description:
      - With I(state=absent), delete the mail in the instance's queue and
        the log files Postfix keeps for it (C(postsuper -d ALL) on the
        queues C(defer bounce trace flush maildrop incoming active
        deferred hold)) before it is destroyed.
    type: bool
    default: false
  postmulti_path:
    description: The postmulti program; by default found in C(PATH) or C(/usr/sbin).
    type: path
notes:
  - Placement and the three directories apply only when the instance is
    created; an existing instance found by I(name) whose
    I(config_directory) differs is an error.
  - Supports check mode and diff mode.
'''

EXAMPLES = r'''
- name: Turn on multi-instance management
  postfix.multi.postmulti:
    init: true

- name: An inbound and an outbound instance, both enabled
  postfix.multi.postmulti:
    name: "{{ item.name }}"
    group: "{{ item.group }}"
    state: enabled
  loop:
    - {name: postfix-in, group: mta}
    - {name: postfix-out, group: mta}

- name: Remove an instance, stopping it and emptying its queue
  postfix.multi.postmulti:
    name: postfix-old
    state: absent
    stop: true
    purge_queue: true
'''

RETURN = r'''
commands:
  description:
    - The commands run, in order; in check mode, those that would run.
  returned: always
  type: list
  elements: str
  sample: ["/usr/sbin/postmulti -e create -I postfix-out -G mta"]
instance:
  description:
    - The instance as C(postmulti -l -j -s) lists it after the task
      (before it, in check mode); absent when there is none. C(name) and
      C(group) are null when absent, C(enabled) and C(running) booleans,
      C(pid) a number or null; other members pass through.
  returned: always
  type: dict
  sample: {"name": "postfix-out", "group": "mta", "enabled": true,
           "config_directory": "/etc/postfix-out", "running": false, "pid": null}
plans:
  description: For each postmulti call that could be dry-run, what C(-n) printed.
  returned: in check mode and diff mode
  type: list
  elements: str
msg:
  description:
    - "On failure, postmulti's one C(postmulti: fatal:) line; when
      C(destroy) left files in place, what it left and its warnings."
  returned: failure
  type: str
'''

import os

from ansible.module_utils.basic import AnsibleModule
from ansible_collections.postfix.multi.plugins.module_utils.postmulti import (
    error_text, list_instances, postmulti_bin, same_dir)

# Queue subdirectories where a file is a message (as postmulti's destroy counts).
MESSAGE_DIRS = ('active', 'corrupt', 'deferred', 'hold', 'incoming', 'maildrop', 'saved')
# What postmulti says when "postmulti -e init" has not been done.
NEEDS_INIT = 'run "postmulti -e init" first'
# Queue subdirectories where Postfix keeps log files of mail: per message
# (defer, bounce, trace) and per destination (flush). postmulti's destroy
# leaves them, as anything else it does not remove.
LOG_DIRS = ('bounce', 'defer', 'flush', 'trace')
# The queues "postsuper -d ALL" empties when they are named: the log files
# first (as in postsuper's own default list), so that an interrupted purge
# leaves no log without its message; trace is not in that default list.
PURGE_QUEUES = ('defer', 'bounce', 'trace', 'flush',
                'maildrop', 'incoming', 'active', 'deferred', 'hold')


def shell_words(cmd):
    """A command as one line, for commands and diffs."""
    out = []
    for word in cmd:
        if word == '' or any(c in word for c in ' \t\'"\\$`;&|<>()*?[]{}!#~'):
            word = "'" + word.replace("'", "'\\''") + "'"
        out.append(word)
    return ' '.join(out)


class Runner(object):
    """Carries out (or, in check mode, plans) the calls, and keeps the record."""

    def __init__(self, module):
        self.module = module
        self.check = module.check_mode
        self.diff = module._diff
        self.bin = postmulti_bin(module)
        self.changed = False
        self.commands = []
        self.plans = []
        self.diffs = []
        # In check mode, a step not really taken: later dry runs may fail.
        self.pending_any = False
        self.pending_structure = False
        # The standard error of the last command run.
        self.stderr = ''

    def fail(self, msg, **kw):
        """Fail the task, saying what was already done."""
        self.module.fail_json(msg=msg, changed=self.changed, commands=self.commands,
                              plans=self.plans, **kw)

    def run(self, cmd, tolerate=None):
        """Run a command; fail the task with its error line when it fails,
        unless that line contains tolerate: then None."""
        rc, out, err = self.module.run_command(cmd, environ_update={'LC_ALL': 'C'})
        self.stderr = err or ''
        if rc != 0:
            msg = error_text(out, err, rc)
            if tolerate and tolerate in msg:
                return None
            self.fail(msg, cmd=shell_words(cmd), rc=rc, stdout=out, stderr=err)
        return out

    def dry_run(self, args, before_init=False):
        """The plan of "postmulti -n ARGS" (-n first: after param=value it
        would be one more argument): its steps, without the header line.
        With before_init, None when postmulti wants "-e init" done first."""
        out = self.run([self.bin, '-n'] + args, NEEDS_INIT if before_init else None)
        if out is None:
            return None
        lines = out.splitlines(True)
        if lines and lines[0].startswith('postmulti: dry run of '):
            lines = lines[1:]
        return ''.join(lines)

    def record(self, cmd, plan, note=None):
        """Note a command as run (or to run), and its plan for diff mode."""
        line = shell_words(cmd)
        self.changed = True
        self.commands.append(line)
        if plan is not None:
            self.plans.append(plan)
        if self.diff:
            self.diffs.append({'prepared': '$ %s\n%s' % (line, plan or note or '')})

    def postmulti(self, args, probe=False, structural=False, needs_all=False):
        """One life-cycle call. With probe, a dry run decides whether it is
        needed at all (an empty plan: nothing to do). Returns whether it
        ran (or would run)."""
        cmd = [self.bin] + args
        blocked = self.pending_structure or (needs_all and self.pending_any)
        plan = None
        why = 'depends on the steps above, not taken in check mode'
        if (self.check or self.diff or probe) and not blocked:
            # In check mode an earlier task's init may not have been done.
            plan = self.dry_run(args, before_init=self.check)
            if probe and plan == '':
                return False
            if plan is None:
                self.pending_structure = True
                why = 'needs "postmulti -e init", not done in check mode'
        if self.check:
            self.pending_any = True
            self.pending_structure = self.pending_structure or structural
        else:
            self.run(cmd)
        self.record(cmd, plan, None if plan is not None or not self.check else
                    '(%s: no dry run possible)\n' % why)
        return True

    def other(self, cmd):
        """A Postfix command other than postmulti (postfix stop, postsuper)."""
        if self.check:
            self.pending_any = True
        else:
            self.run(cmd)
        self.record(cmd, None)


def find_instance(runner, instances, name, config_dir):
    """The existing instance that name (or, failing that, config_dir) names."""
    if name:
        for inst in instances:
            if inst['name'] == name:
                if config_dir and not same_dir(inst['config_directory'], config_dir):
                    runner.fail('instance %s exists with config_directory %s, not %s:'
                                ' directories are chosen only when an instance is created'
                                % (name, inst['config_directory'], config_dir))
                return inst
    if config_dir:
        for inst in instances:
            if same_dir(inst['config_directory'], config_dir):
                return inst
    return None


def instance_dirs(runner, config_dir):
    """The queue and data directories of an instance."""
    postconf = runner.module.get_bin_path('postconf', required=True, opt_dirs=['/usr/sbin'])
    out = runner.run([postconf, '-c', config_dir, '-h', 'queue_directory', 'data_directory'])
    return [line.strip() for line in out.splitlines()]


def count_files(queue_dir, subdirs):
    """How many files the named queue subdirectories hold."""
    count = 0
    for sub in subdirs:
        for dirpath, dirnames, filenames in os.walk(os.path.join(queue_dir, sub)):
            count += len(filenames)
            # A symbolic link to a directory is not followed, but counts.
            count += len([d for d in dirnames if os.path.islink(os.path.join(dirpath, d))])
    return count


def plural(n, what):
    """"1 message file", "2 message files"."""
    return '%d %s%s' % (n, what, '' if n == 1 else 's')


def refuse(runner, inst, selector, own_msg, hint):
    """Refuse to destroy: postmulti's own reason when it gives one."""
    if not inst['enabled']:
        args = ['-i', selector, '-e', 'destroy', '-n']
        rc, out, err = runner.module.run_command([runner.bin] + args,
                                                 environ_update={'LC_ALL': 'C'})
        if rc != 0:
            runner.fail('%s (%s)' % (error_text(out, err, rc), hint), rc=rc, stderr=err)
    runner.fail('%s: %s' % (own_msg, hint))


def make_absent(runner, inst, selector, params):
    """Destroy the instance: stop, disable, purge first when allowed."""
    config_dir = inst['config_directory']
    if inst['primary']:
        # postmulti's dry run says why not.
        runner.dry_run(['-i', selector, '-e', 'destroy'])
        runner.fail('instance %s is the primary: not destroyed' % config_dir)
    running = inst.get('running')
    if running is None:
        runner.fail('cannot tell whether instance %s runs (postmulti -l -s says "unknown"):'
                    ' not destroyed' % config_dir)
    if running and not params['stop']:
        refuse(runner, inst, selector, 'instance %s is running' % config_dir,
               'set stop: true to stop it before it is destroyed')
    queue_dir, data_dir = instance_dirs(runner, config_dir)
    messages = count_files(queue_dir, MESSAGE_DIRS)
    logs = count_files(queue_dir, LOG_DIRS)
    if (messages or logs) and not params['purge_queue']:
        held = [plural(n, what) for n, what in ((messages, 'message file'),
                                                (logs, 'log file of mail'))
                if n]
        refuse(runner, inst, selector, 'the queue of instance %s holds %s'
               % (config_dir, ' and '.join(held)),
               'set purge_queue: true to delete them before it is destroyed')
    if running:
        postfix = runner.module.get_bin_path('postfix', required=True, opt_dirs=['/usr/sbin'])
        runner.other([postfix, '-c', config_dir, 'stop'])
    if inst['enabled']:
        runner.postmulti(['-i', selector, '-e', 'disable'])
    if messages or logs:
        postsuper = runner.module.get_bin_path('postsuper', required=True,
                                               opt_dirs=['/usr/sbin'])
        runner.other([postsuper, '-c', config_dir, '-d', 'ALL'] + list(PURGE_QUEUES))
    runner.postmulti(['-i', selector, '-e', 'destroy'], needs_all=True)
    if runner.check:
        return
    # destroy warns about what it leaves, and exits 0: absent means gone.
    left = [d for d in (config_dir, queue_dir, data_dir) if os.path.lexists(d)]
    warnings = [line for line in runner.stderr.splitlines() if line.strip()]
    if left:
        runner.fail('instance %s is unregistered, but postmulti -e destroy left %s in place'
                    ' (remove by hand what should go):\n%s'
                    % (config_dir, ' and '.join(left), '\n'.join(warnings)),
                    stderr=runner.stderr)
    for line in warnings:
        runner.module.warn(line)


def make_present(runner, inst, params):
    """Create the instance if needed, then name, group and enable it."""
    name, group, state = params['name'], params['group'], params['state']
    want_group = None if group is None else ('' if group in ('', '-') else group)
    if inst is None:
        args = ['-e', 'create']
        if name:
            args += ['-I', name]
        if want_group:
            args += ['-G', want_group]
        if params['first']:
            args.append('-a')
        elif params['before']:
            args += ['-i', params['before']]
        elif params['before_group']:
            args += ['-g', params['before_group']]
        for d in ('config_directory', 'queue_directory', 'data_directory'):
            if params[d]:
                args.append('%s=%s' % (d, params[d]))
        runner.postmulti(args, structural=True)
        selector, enabled = name or params['config_directory'], False
    else:
        # By directory when the name is to change or there is none.
        selector = name if name and inst['name'] == name else inst['config_directory']
        assign = []
        if name and inst['name'] != name:
            assign += ['-I', name]
        if want_group is not None and (inst['group'] or '') != want_group:
            assign += ['-G', want_group or '-']
        if assign:
            runner.postmulti(['-i', selector, '-e', 'assign'] + assign)
            if name:
                selector = name
        enabled = inst['enabled']
    if state == 'enabled' and not enabled:
        runner.postmulti(['-i', selector, '-e', 'enable'])
    elif state == 'disabled' and enabled:
        runner.postmulti(['-i', selector, '-e', 'disable'])


def main():
    module = AnsibleModule(
        argument_spec=dict(
            name=dict(type='str'),
            group=dict(type='str'),
            state=dict(type='str', default='present',
                       choices=['present', 'absent', 'enabled', 'disabled']),
            config_directory=dict(type='path'),
            queue_directory=dict(type='path'),
            data_directory=dict(type='path'),
            before=dict(type='str'),
            before_group=dict(type='str'),
            first=dict(type='bool', default=False),
            init=dict(type='bool', default=False),
            stop=dict(type='bool', default=False),
            purge_queue=dict(type='bool', default=False),
            postmulti_path=dict(type='path'),
        ),
        mutually_exclusive=[('before', 'before_group', 'first')],
        supports_check_mode=True,
    )
    params = module.params
    runner = Runner(module)

    if params['init']:
        runner.postmulti(['-e', 'init'], probe=True, structural=True)
    if not params['name'] and not params['config_directory']:
        if not params['init']:
            module.fail_json(msg='give name or config_directory (or init: true alone)')
        exit_module(runner, None)

    instances, warnings = list_instances(module, status=params['state'] == 'absent')
    for w in warnings:
        module.warn(w)
    inst = find_instance(runner, instances, params['name'], params['config_directory'])
    if params['state'] == 'absent':
        if inst is not None:
            selector = params['name'] or inst['config_directory']
            make_absent(runner, inst, selector, params)
    else:
        make_present(runner, inst, params)

    if runner.changed and not runner.check:
        instances, warnings = list_instances(module, status=True)
        inst = find_instance(runner, instances, params['name'], params['config_directory'])
    exit_module(runner, inst)


def exit_module(runner, inst):
    """Report: changed, the commands, the instance, the plans and diffs."""
    result = dict(changed=runner.changed, commands=runner.commands, instance=inst)
    if runner.check or runner.diff:
        result['plans'] = runner.plans
    if runner.diff:
        result['diff'] = runner.diffs
    runner.module.exit_json(**result)


if __name__ == '__main__':
    main()
