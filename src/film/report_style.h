/*
 * report_style.h - the report's stylesheet: system fonts only (Courier Prime
 * for the screenplay, as its PDF), so the page looks the same offline.
 */
#pragma once

/* The CSS of report.html, for a <style> element. */
extern const char film_report_css[];
