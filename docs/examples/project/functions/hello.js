// GET /hello: a public Function, the one a health check calls.
exports.handler = function (context, event, callback) {
  const greeting = context.GREETING || 'Hello from acme-ivr';
  return callback(null, { message: greeting, service: context.SERVICE_SID || null });
};
