"""What a campaign shows, when: pure Python, no Django (see schedule.py)."""
