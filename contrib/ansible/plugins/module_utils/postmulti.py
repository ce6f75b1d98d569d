# -*- coding: utf-8 -*-
# MIT License; see the LICENSE file of the postmulti project.
"""What the postmulti and postmulti_info modules share: finding and running
postmulti, turning its errors into one message, and reading "-l -j".

The listing is read the way postmulti's manual asks: one JSON object per
line, members we do not know are kept but not interpreted. An absent name
or group is null in older builds and "-" in the Postfix 3.11 format; both
read as None here. "enabled" is "y" or "n"; with -s, "master" (called
"running" by older builds) is the state of the master process ("running",
"stopped", "unknown"). The instances handed to playbooks keep their own
boolean "running" either way.
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import json
import os

FATAL = 'postmulti: fatal: '

# The members whose meaning we know; every other member passes through.
KNOWN = ('name', 'group', 'enabled', 'config_directory', 'master', 'running', 'pid')


def postmulti_bin(module):
    """The postmulti program: the postmulti_path option, else from PATH."""
    path = module.params.get('postmulti_path')
    if path:
        return path
    return module.get_bin_path('postmulti', required=True,
                               opt_dirs=['/usr/sbin', '/usr/local/sbin'])


def error_text(stdout, stderr, rc):
    """The one line that says why a command failed."""
    lines = [line for line in (stderr or '').splitlines() if line.strip()]
    for line in lines:
        if line.startswith(FATAL) or ': fatal: ' in line:
            return line
    if lines:
        return lines[-1]
    out = [line for line in (stdout or '').splitlines() if line.strip()]
    if out:
        return out[-1]
    return 'exit status %d' % rc


def same_dir(a, b):
    """Do two paths name the same directory?"""
    if a is None or b is None:
        return False
    if os.path.normpath(a) == os.path.normpath(b):
        return True
    try:
        return os.path.samefile(a, b)
    except OSError:
        return False


def absent(value):
    """An absent name or group: null (older builds) or "-" (3.11 format)."""
    return value is None or value == '-' or value == ''


def normalize(obj):
    """One listed instance, with typed members; unknown members kept."""
    inst = dict(obj)
    inst['name'] = None if absent(obj.get('name')) else obj['name']
    inst['group'] = None if absent(obj.get('group')) else obj['group']
    inst['enabled'] = obj.get('enabled') in ('y', 'yes', True)
    inst['config_directory'] = obj.get('config_directory')
    inst['primary'] = False
    if 'master' in obj or 'running' in obj:
        state = inst.pop('master') if 'master' in obj else obj['running']
        if state in ('running', 'y', 'yes', True):
            inst['running'] = True
        elif state in ('stopped', 'n', 'no', False):
            inst['running'] = False
        else:
            inst['running'] = None
    if 'pid' in obj:
        pid = obj['pid']
        try:
            inst['pid'] = int(pid) if not absent(pid) else None
        except (TypeError, ValueError):
            inst['pid'] = None
    return inst


def list_instances(module, status=True):
    """The instances from "postmulti -l -j [-s]", primary first.

    Returns (instances, warnings). A fatal error fails the module; exit
    status 1 with warnings only (a damaged instance, a state that cannot
    be read) still gives the instances that could be listed.
    """
    cmd = [postmulti_bin(module), '-l', '-j']
    if status:
        cmd.append('-s')
    rc, out, err = module.run_command(cmd, environ_update={'LC_ALL': 'C'})
    fatal = [line for line in err.splitlines() if line.startswith(FATAL)]
    if rc != 0 and (fatal or not out.strip()):
        module.fail_json(msg=error_text(out, err, rc), cmd=cmd, rc=rc,
                         stdout=out, stderr=err)
    instances = []
    for line in out.splitlines():
        if not line.strip():
            continue
        try:
            instances.append(normalize(json.loads(line)))
        except ValueError as e:
            module.fail_json(msg='cannot read "postmulti -l -j" output %r: %s'
                             % (line, e), cmd=cmd, stdout=out, stderr=err)
    # postmulti lists the primary first.
    if instances:
        instances[0]['primary'] = True
    warnings = [line for line in err.splitlines() if line.strip()]
    return instances, warnings
