"""Trade's tables and stores."""
