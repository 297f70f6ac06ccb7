"""The line as a SIP endpoint (pjsua2): calls in, 20 ms PCM frames and keys to the call."""
