# Reading the package in R, from the release zip (or the repository after `make export`).
#
#   Rscript examples/read_release.R [FOLDER]      # FOLDER: the unzipped release; default: this script's parent
#
# 1. Every table from data/*.csv, each column typed as its Table Schema says (schemas/*.json): numbers as
#    doubles, integers as integers, vocabularies (an `enum`) as factors with every allowed value as a level,
#    everything else as text. Dates stay text: they are EDTF, as precise as the source ("2025", "2025-05~").
# 2. The positions view of the SQLite export (exports/<name>.sqlite), the same table the spreadsheet's
#    `positions` sheet holds: every position of one side, with names, and whether `peacetalks positions`
#    counts it.
#
# Needs readr, DBI, RSQLite and jsonlite (on Debian: apt-get install r-cran-readr r-cran-dbi r-cran-rsqlite
# r-cran-jsonlite).

suppressPackageStartupMessages({
  library(readr)
  library(DBI)
  library(RSQLite)
  library(jsonlite)
})

script_folder <- function() {
  file_arg <- grep("^--file=", commandArgs(trailingOnly = FALSE), value = TRUE)
  if (length(file_arg) == 0) return(getwd())
  dirname(normalizePath(sub("^--file=", "", file_arg[1])))
}

args <- commandArgs(trailingOnly = TRUE)
folder <- if (length(args) >= 1) args[1] else dirname(script_folder())
descriptor_path <- file.path(folder, "datapackage.json")
if (!file.exists(descriptor_path)) stop("no datapackage.json in ", folder, ": give the release's folder")
descriptor <- fromJSON(descriptor_path, simplifyVector = FALSE)

# One readr column type per schema field.
column_type <- function(field) {
  allowed <- field$constraints$enum
  if (!is.null(allowed)) return(col_factor(levels = unlist(allowed)))
  switch(field$type %||% "string",
         number = col_double(),
         integer = col_integer(),
         col_character())
}
`%||%` <- function(a, b) if (is.null(a)) b else a

read_table <- function(resource) {
  schema <- fromJSON(file.path(folder, resource$schema), simplifyVector = FALSE)
  types <- lapply(schema$fields, column_type)
  names(types) <- vapply(schema$fields, function(f) f$name, "")
  # An empty cell is a missing value; nothing else is ("NA" is text).
  table <- read_csv(file.path(folder, resource$path), col_types = do.call(cols, types), na = "",
                    locale = locale(encoding = "UTF-8"), progress = FALSE)
  problems_found <- problems(table)
  if (nrow(problems_found) > 0) stop(resource$name, ": ", nrow(problems_found), " cells do not fit the schema")
  table
}

tables <- lapply(descriptor$resources, read_table)
names(tables) <- vapply(descriptor$resources, function(r) r$name, "")

cat("## Tables, typed as the schemas say\n\n")
for (name in names(tables)) {
  factors <- sum(vapply(tables[[name]], is.factor, TRUE))
  numbers <- sum(vapply(tables[[name]], is.numeric, TRUE))
  cat(sprintf("%-13s %4d rows  %2d columns  %d factors  %d numeric\n", name, nrow(tables[[name]]),
              ncol(tables[[name]]), factors, numbers))
}

cat("\n## Stances taken, by kind (factor levels from the schema, unused ones included)\n\n")
print(table(tables$demands$kind, tables$demands$stance, useNA = "no"))

cat("\n## Figures in USD\n\n")
usd <- as.data.frame(tables$figures[!is.na(tables$figures$unit) & tables$figures$unit == "USD",
                                    c("figure_id", "value", "qualifier")])
usd$value <- format(usd$value, scientific = FALSE, big.mark = ",")
print(usd, row.names = FALSE)

# The positions view is in the SQLite export.
database <- file.path(folder, "exports", paste0(descriptor$name, ".sqlite"))
if (!file.exists(database)) stop("no ", database, ": run `make export` first (the release zip has it)")
connection <- dbConnect(SQLite(), database, flags = SQLITE_RO)
on.exit(dbDisconnect(connection))
ukraine <- dbGetQuery(connection, paste(
  "SELECT actor_name, statement, stance, in_positions FROM positions",
  "WHERE side = ? ORDER BY date_first_day, demand_id"), params = list("ukraine"))
cat(sprintf("\n## Positions of Ukraine's side (the state and its people): %d rows, %d counted by `peacetalks positions`\n\n",
            nrow(ukraine), sum(ukraine$in_positions == "yes")))
print(head(ukraine[, c("actor_name", "stance", "statement")], 10), row.names = FALSE)
counted <- dbGetQuery(connection, "SELECT in_positions, count(*) AS n FROM positions GROUP BY 1 ORDER BY 2 DESC")
cat("\n## Why rows are left out of `peacetalks positions`\n\n")
print(counted, row.names = FALSE)
