package worktime

// The IANA time zone database is embedded so that every zone a Policy may
// name is known even in minimal container images without /usr/share/zoneinfo.
import _ "time/tzdata"
