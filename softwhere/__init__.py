"""SoftWhere Desk: support and operations platform for B2B telecom integrators."""

__version__ = "0.1.0"
