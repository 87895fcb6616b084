"""The drawing-of-lots engine: feasibility, named methods, the generator, receipts, checks."""
