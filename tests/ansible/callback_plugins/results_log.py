# results_log - an Ansible callback for the tests: every task result, one
# JSON object a line ({"task": ..., "status": ..., "result": {...}}), in
# the file $RESULTS_LOG, beside the usual output of the stdout callback.
from __future__ import absolute_import, division, print_function
__metaclass__ = type

import json
import os

from ansible.plugins.callback import CallbackBase

DOCUMENTATION = '''
name: results_log
type: aggregate
short_description: task results as JSON lines, for the tests of postfix.multi
description:
  - Appends each task result to the file named by RESULTS_LOG.
'''


class CallbackModule(CallbackBase):
    CALLBACK_VERSION = 2.0
    CALLBACK_TYPE = 'aggregate'
    CALLBACK_NAME = 'results_log'
    CALLBACK_NEEDS_ENABLED = True

    def log(self, status, result):
        """One line for one task result."""
        with open(os.environ['RESULTS_LOG'], 'a') as f:
            f.write(json.dumps({'task': result._task.get_name(), 'status': status,
                                'result': result._result}, default=str) + '\n')

    def v2_runner_on_ok(self, result):
        self.log('ok', result)

    def v2_runner_on_failed(self, result, ignore_errors=False):
        self.log('failed', result)

    def v2_runner_on_skipped(self, result):
        self.log('skipped', result)
