from tests.medicines.helpers import clock

__all__ = ["clock"]
