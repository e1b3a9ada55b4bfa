"""Exports of the regional map (INS-REGIONAL-MAP): XLSX, CSV, PDF, built by a Celery task."""
