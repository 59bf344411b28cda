"""Registration with Ofsted for new homes, and the compliance calendar of open homes."""
