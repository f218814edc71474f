"""Who is asking, and how often: the client address behind proxies, and rate limits."""
