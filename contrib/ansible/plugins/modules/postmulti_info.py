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

from ansible.module_utils.basic import AnsibleModule
from ansible_collections.postfix.multi.plugins.module_utils.postmulti import (
    list_instances, same_dir)


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
            postmulti_path=dict(type='path'),
        ),
        supports_check_mode=True,
    )
    instances, warnings = list_instances(module, status=module.params['status'])
    for w in warnings:
        module.warn(w)
    instances = [i for i in instances
                 if wanted(i, module.params['name'], module.params['group'])]
    module.exit_json(changed=False, instances=instances,
                     ansible_facts=dict(postmulti_instances=instances))


if __name__ == '__main__':
    main()
