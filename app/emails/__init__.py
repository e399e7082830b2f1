"""Customer e-mails: templates, addresses, MIME messages and the transports that send them."""
