"""The report's sections, one module each: builders of one Section for a scope over a series of periods."""
