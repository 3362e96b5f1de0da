// POST /sms/reply: protected, so only requests signed by Twilio (the SMS webhook) reach it.
const escape = require('lodash.escape');

exports.handler = function (context, event, callback) {
  const { formatReply } = require(Runtime.getFunctions()['format'].path);
  const twiml = new Twilio.twiml.MessagingResponse();
  twiml.message(formatReply(escape(event.Body || '')));
  return callback(null, twiml);
};
