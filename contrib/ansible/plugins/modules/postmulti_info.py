#!/usr/bin/python
# -*- coding: utf-8 -*-
# MIT License; see the LICENSE file of the postmulti project.

from __future__ import absolute_import, division, print_function
__metaclass__ = type

DOCUMENTATION = r'''
---
module: postmulti_info
short_description: The Postfix instances of a host, as facts
description:
  - Runs C(postmulti -l -j -s) and returns one entry per instance, the
    primary first, in C(instances) and as the fact C(postmulti_instances).
  - Changes nothing. An instance that postmulti skips (damaged) or whose
    state it cannot read gives a warning, not a failure.
version_added: 1.0.0
author: postmulti maintainers
options:
  name:
    description: Return only the instance of this name (or configuration directory).
    type: str
  group:
    description: Return only the members of this group.
    type: str
  status:
    description: Include whether each instance's master runs, and its pid (C(-s)).
    type: bool
    default: true
  queue_summary:
    description:
      - Add to each instance a summary of its queued messages
        (C(queue_summary)), read with C(postmulti -Q list -j).
    type: bool
    default: false
  queue_filters:
    description:
      - With I(queue_summary), count only the messages that pass these
        C(postmulti -Q) filters, such as C(queue=deferred) or
        C(recipient=@example.com) (see the QUEUE WORK section of
        C(man postmulti)).
    type: list
    elements: str
    default: []
  postmulti_path:
    description: The postmulti program; by default found in C(PATH) or C(/usr/sbin).
    type: path
'''

EXAMPLES = r'''
- name: Read the instances
  postfix.multi.postmulti_info:
  register: pm

- name: Warn about enabled instances that do not run
  ansible.builtin.debug:
    msg: "{{ item.name or item.config_directory }} is enabled but stopped"
  loop: "{{ pm.instances | selectattr('enabled') | rejectattr('running') | list }}"

- name: Deferred mail of the outgoing instances
  postfix.multi.postmulti_info:
    group: mta
    queue_summary: true
    queue_filters: [queue=deferred]
  register: pmq

- name: Instances with deferred mail older than a day
  ansible.builtin.debug:
    msg: "{{ item.name }}: {{ item.queue_summary.messages }} deferred"
  loop: "{{ pmq.instances | selectattr('queue_summary.messages') | list }}"
'''

RETURN = r'''
instances:
  description:
    - One entry per instance, the primary first. C(name) and C(group) are
      null when absent; C(enabled), C(primary) and (with I(status))
      C(running) are booleans (C(running) is null when unknown); C(pid) is
      a number or null. Members that postmulti adds in later versions pass
      through unchanged.
  returned: always
  type: list
  elements: dict
      With I(queue_summary), C(queue_summary) holds C(messages), C(bytes)
      (their sizes as postqueue reports them), C(oldest_arrival_time)
      (seconds since the epoch, null without mail), C(queues) (messages
      per queue), C(recipient_domains) (recipients per domain) and
      C(delay_reasons) (recipients per delay reason).
  sample:
    - {"name": null, "group": null, "enabled": true, "primary": true,
       "config_directory": "/etc/postfix", "running": true, "pid": 812}
    - {"name": "postfix-out", "group": "mta", "enabled": true, "primary": false,
       "config_directory": "/etc/postfix-out", "running": true, "pid": 901}
ansible_facts:
  description: The same list as C(postmulti_instances).
  returned: always
  type: dict
'''

import json

from ansible.module_utils.basic import AnsibleModule
from ansible_collections.postfix.multi.plugins.module_utils.postmulti import (
    error_text, list_instances, postmulti_bin, same_dir)

QUEUES = ('maildrop', 'incoming', 'active', 'deferred', 'hold')


def empty_summary():
    return dict(messages=0, bytes=0, oldest_arrival_time=None,
                queues=dict((q, 0) for q in QUEUES), recipient_domains={},
                delay_reasons={})


def queue_summaries(module, filters):
    """Per config directory, a summary of "postmulti -Q list -j" (all instances)."""
    cmd = [postmulti_bin(module), '-Q', 'list', '-j'] + list(filters)
    rc, out, err = module.run_command(cmd, environ_update={'LC_ALL': 'C'})
    if rc != 0 and any(line.startswith('postmulti: fatal: ') for line in err.splitlines()):
        module.fail_json(msg=error_text(out, err, rc), cmd=cmd, rc=rc, stdout=out, stderr=err)
    for line in err.splitlines():
        if line.strip():
            module.warn(line)
    sums = {}
    for line in out.splitlines():
        if not line.strip():
            continue
        try:
            msg = json.loads(line)
        except ValueError as e:
            module.fail_json(msg='cannot read "postmulti -Q list -j" output %r: %s' % (line, e),
                             cmd=cmd, stdout=out, stderr=err)
        s = sums.setdefault(msg['config_directory'], empty_summary())
        s['messages'] += 1
        s['bytes'] += msg['message_size']
        if s['oldest_arrival_time'] is None or msg['arrival_time'] < s['oldest_arrival_time']:
            s['oldest_arrival_time'] = msg['arrival_time']
        s['queues'][msg['queue_name']] = s['queues'].get(msg['queue_name'], 0) + 1
        for r in msg['recipients']:
            domain = r['address'].rsplit('@', 1)[1].lower() if '@' in r['address'] else ''
            s['recipient_domains'][domain] = s['recipient_domains'].get(domain, 0) + 1
            if 'delay_reason' in r:
                why = r['delay_reason']
                s['delay_reasons'][why] = s['delay_reasons'].get(why, 0) + 1
    return sums


def wanted(inst, name, group):
    """Does the instance pass the name and group filters?"""
    if name is not None and inst['name'] != name and inst['name'] != 'postfix-' + name \
            and not same_dir(inst['config_directory'], name):
        return False
    return group is None or inst['group'] == group


def main():
    module = AnsibleModule(
        argument_spec=dict(
            name=dict(type='str'),
            group=dict(type='str'),
            status=dict(type='bool', default=True),
            queue_summary=dict(type='bool', default=False),
            queue_filters=dict(type='list', elements='str', default=[]),
            postmulti_path=dict(type='path'),
        ),
        supports_check_mode=True,
    )
    instances, warnings = list_instances(module, status=module.params['status'])
    for w in warnings:
        module.warn(w)
    instances = [i for i in instances
                 if wanted(i, module.params['name'], module.params['group'])]
    if module.params['queue_summary']:
        sums = queue_summaries(module, module.params['queue_filters'])
        for inst in instances:
            inst['queue_summary'] = sums.get(inst['config_directory'], empty_summary())
    module.exit_json(changed=False, instances=instances,
                     ansible_facts=dict(postmulti_instances=instances))


if __name__ == '__main__':
    main()
