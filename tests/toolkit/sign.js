// SPDX-License-Identifier: GPL-3.0-or-later
//
// Twilio's own helper library (the `twilio` npm package, pinned in package.json) signs requests to a protected
// function the simulator serves, as Twilio signs webhooks: the ground truth for the simulator's X-Twilio-Signature
// check (tests/toolkit/test_signature.py), which would agree with a Python signer by construction.
//
//   SIM_AUTH_TOKEN=... node tests/toolkit/sign.js URL
//
// URL is a protected function on the simulator (http://127.0.0.1:PORT/__sim/domains/...). Prints one JSON line:
// each case's name and the status the simulator answered.
'use strict';

const twilio = require('twilio');

const [url] = process.argv.slice(2);
const token = process.env.SIM_AUTH_TOKEN;
if (!token || !/^http:\/\/127\.0\.0\.1:[0-9]+\/__sim\/domains\//.test(url || '')) {
  console.error('usage: SIM_AUTH_TOKEN=... node sign.js http://127.0.0.1:PORT/__sim/domains/DOMAIN/PATH');
  process.exit(2);
}

// Names out of order, a repeated name, and values a form encodes (space, +, &, =, non-ASCII).
const params = { To: '+15005550006', Body: 'café & tea = 2 ✓', Zeta: ['b', 'a'], Alpha: '' };

function form(values) {
  const body = new URLSearchParams();
  for (const [name, value] of Object.entries(values)) {
    for (const one of [].concat(value)) body.append(name, one);
  }
  return body.toString();
}

async function call(name, method, target, signature, body) {
  const headers = { 'X-Twilio-Signature': signature };
  if (body !== undefined) headers['Content-Type'] = 'application/x-www-form-urlencoded';
  const response = await fetch(target, { method, headers, body });
  await response.text();
  return { name, status: response.status };
}

(async () => {
  const query = `${url}?b=2&a=1&c=a%20b`;
  const getSignature = twilio.getExpectedTwilioSignature(token, query, {});
  const postSignature = twilio.getExpectedTwilioSignature(token, url, params);
  const results = [
    await call('get', 'GET', query, getSignature),
    await call('post', 'POST', url, postSignature, form(params)),
    await call('get tampered query', 'GET', query.replace('b=2', 'b=3'), getSignature),
    await call('post tampered body', 'POST', url, postSignature, form({ ...params, Body: 'tea' })),
    await call('post with another token', 'POST', url,
      twilio.getExpectedTwilioSignature(token + 'x', url, params), form(params)),
    await call('unsigned', 'GET', query, ''),
  ];
  // The library's own validator agrees with the signature it made (the check a Twilio function runs).
  results.push({ name: 'validateRequest', valid: twilio.validateRequest(token, postSignature, url, params) });
  console.log(JSON.stringify(results));
})().catch((error) => {
  console.error(error.message);
  process.exit(1);
});
