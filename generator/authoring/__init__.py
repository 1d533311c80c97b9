"""What staff start from: notices to fill in, a new city's repository, its workflows."""
