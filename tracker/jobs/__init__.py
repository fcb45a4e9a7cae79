"""Work done after the request that asked for it: imports now, mail-outs and polling later."""
