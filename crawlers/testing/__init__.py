"""Test helpers of the crawlers room (a fault-injecting site); not used in production."""
