// SPDX-License-Identifier: GPL-3.0-or-later
//
// The Twilio toolkit's own deploy (@twilio-labs/serverless-api, pinned in package.json) against the simulator:
// the real client's forms, multipart uploads and CreateBuild, as `twilio serverless:deploy` sends them.
//
//   SIM_URL=http://127.0.0.1:PORT SIM_ACCOUNT_SID=AC... SIM_AUTH_TOKEN=... \
//     node tests/toolkit/deploy.js PROJECT_DIR SERVICE_NAME [ENVIRONMENT_SUFFIX]
//
// Prints one JSON line: the service, environment and build SIDs and the paths deployed. Exits 1 on failure.
// Used by tests/toolkit (make toolkit-test) and by section 7 of benchmarks/bench.py (make bench).
'use strict';

const fs = require('fs');
const path = require('path');

const simUrl = process.env.SIM_URL;
const [projectDir, serviceName, environment = 'dev'] = process.argv.slice(2);
if (!simUrl || !projectDir || !serviceName) {
  console.error('usage: SIM_URL=... SIM_ACCOUNT_SID=... SIM_AUTH_TOKEN=... node deploy.js PROJECT_DIR SERVICE_NAME [ENV]');
  process.exit(2);
}
if (!/^http:\/\/127\.0\.0\.1:[0-9]+$/.test(simUrl)) {
  // Credentials go to the simulator only, never to twilio.com.
  console.error(`SIM_URL must be the simulator on 127.0.0.1, not ${simUrl}`);
  process.exit(2);
}

// The library makes every URL with this one exported function: the API host for product "serverless",
// the upload host for "serverless-upload". The simulator serves both on one origin. Each caller reads it
// from the module's exports at call time, so replacing the export redirects all of them.
const apiClient = require('@twilio-labs/serverless-api/dist/api/utils/api-client');
const realGetApiUrl = apiClient.getApiUrl;
const products = new Set();
apiClient.getApiUrl = (config, product = 'serverless', apiVersion = 'v1') => {
  products.add(new URL(realGetApiUrl(config, product, apiVersion)).host);
  return `${simUrl}/${apiVersion}`;
};

// Environment variables are not part of this test (their routes belong to another issue); the deploy sets
// none, and the library would still list them, so that step is skipped.
const variables = require('@twilio-labs/serverless-api/dist/api/variables');
variables.setEnvironmentVariables = async () => undefined;

const { TwilioServerlessApiClient } = require('@twilio-labs/serverless-api');

async function main() {
  const cwd = path.resolve(projectDir);
  const pkgJson = JSON.parse(fs.readFileSync(path.join(cwd, 'package.json'), 'utf8'));
  const client = new TwilioServerlessApiClient({
    username: process.env.SIM_ACCOUNT_SID,
    password: process.env.SIM_AUTH_TOKEN,
  });
  const result = await client.deployLocalProject({
    cwd,
    serviceName,
    functionsEnv: environment,
    env: {},
    pkgJson,
    runtime: process.env.TOOLKIT_RUNTIME || 'node22',
    overrideExistingService: true,
  });
  process.stdout.write(JSON.stringify({
    serviceSid: result.serviceSid,
    environmentSid: result.environmentSid,
    buildSid: result.buildSid,
    runtime: result.runtime,
    functions: result.functionResources.map((f) => ({ path: f.path, access: f.access, sid: f.sid })),
    assets: result.assetResources.map((a) => ({ path: a.path, access: a.access, sid: a.sid })),
    hosts: [...products].sort(),
  }) + '\n');
}

main().catch((err) => {
  // The library's errors carry the request, headers included: print the message only.
  console.error(`toolkit deploy failed: ${err && (err.message || err)}`);
  process.exit(1);
});
