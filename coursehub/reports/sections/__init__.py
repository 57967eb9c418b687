"""The report's sections, one module each: a builder (place, periods, now) -> Section."""
