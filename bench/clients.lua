-- wrk: each request from another client address, as the proxy would report it
-- (X-Forwarded-For, one trusted hop), so that the per-address rate limits measure
-- many readers rather than refuse one. Documentation addresses (RFC 5737) only.
request = function()
  wrk.headers["X-Forwarded-For"] = string.format(
    "%s.%d", math.random(2) == 1 and "198.51.100" or "203.0.113", math.random(0, 255))
  return wrk.format()
end
