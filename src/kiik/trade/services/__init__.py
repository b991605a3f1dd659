"""Trade's use cases: each records its EPCIS events through capture, in one transaction."""
