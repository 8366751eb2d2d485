"""Made-to-order planning: effort per design, and lead times the workshop can keep."""

from trunkshow.engines.atelier.effort import DesignWork, estimate_hours
from trunkshow.engines.atelier.planner import Artisan, Plan, Workshop, plan_queue, promise

__all__ = ["Artisan", "DesignWork", "Plan", "Workshop", "estimate_hours", "plan_queue", "promise"]
