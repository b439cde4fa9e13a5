import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { defaultDataDir } from '../../sync-engine/src/index.js';

describe('the default data folder', () => {
  test('follows each operating system’s per-user data location, and EDGE_AGENT_HOME overrides it', () => {
    assert.equal(defaultDataDir({ LOCALAPPDATA: 'C:\\Users\\an\\AppData\\Local' }, 'win32', 'C:\\Users\\an'), join('C:\\Users\\an\\AppData\\Local', 'ndxp-edge-agent'));
    assert.equal(defaultDataDir({}, 'darwin', '/Users/an'), join('/Users/an', 'Library', 'Application Support', 'ndxp-edge-agent'));
    assert.equal(defaultDataDir({ XDG_DATA_HOME: '/data/an' }, 'linux', '/home/an'), join('/data/an', 'ndxp-edge-agent'));
    assert.equal(defaultDataDir({}, 'linux', '/home/an'), join('/home/an', '.local', 'share', 'ndxp-edge-agent'));
    assert.equal(defaultDataDir({ EDGE_AGENT_HOME: '/srv/agent' }, 'linux', '/home/an'), '/srv/agent');
  });
});
