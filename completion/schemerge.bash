# bash completion for schemerge                                     -*- shell-script -*-
# Installed by `make install` into bash-completion's completionsdir (loaded on demand
# when `schemerge` is first completed). Completes commands, each command's options
# (the lists of `schemerge COMMAND --help`), change kinds for --only, severities for
# --fail-on and --min-severity, and backup ids from `schemerge backup list`.

_schemerge_backup_ids()
{
    # the -C and --config the user typed apply to the lookup too
    local -a pre=()
    local i
    for ((i = 1; i < COMP_CWORD; i++)); do
        case ${COMP_WORDS[i]} in
            -C | --config) pre+=("${COMP_WORDS[i]}" "${COMP_WORDS[i + 1]}") ;;
            --config=*) pre+=("${COMP_WORDS[i]}") ;;
        esac
    done
    "${COMP_WORDS[0]}" "${pre[@]}" backup list 2>/dev/null | awk '{ print $1 }'
}

_schemerge()
{
    local cur prev
    cur=${COMP_WORDS[COMP_CWORD]}
    prev=${COMP_CWORD:+${COMP_WORDS[COMP_CWORD - 1]}}

    local commands="check diff report update snapshot backup commit hook status lint sql"
    local common="--db= --schema= --config= -C --help"
    local severities="low medium high critical"
    local kinds="enum_added enum_removed enum_value_added enum_value_removed
        enum_values_reordered enum_renamed enum_value_renamed table_added table_removed
        table_renamed column_added column_removed column_type_changed
        column_nullability_changed column_renamed"

    # --opt=value forms
    case $cur in
        --color=* | --colour=*)
            COMPREPLY=($(compgen -P "${cur%%=*}=" -W "auto always never" -- "${cur#*=}"))
            return ;;
        --fail-on=* | --min-severity=*)
            COMPREPLY=($(compgen -P "${cur%%=*}=" -W "$severities" -- "${cur#*=}"))
            return ;;
        --only=*)
            COMPREPLY=($(compgen -P "--only=" -W "$kinds" -- "${cur#*=}"))
            return ;;
        --db=* | --db-list=* | --config=* | --output=*)
            COMPREPLY=($(compgen -P "${cur%%=*}=" -f -- "${cur#*=}"))
            return ;;
    esac
    # an option's value in the next word
    case $prev in
        --fail-on | --min-severity)
            COMPREPLY=($(compgen -W "$severities" -- "$cur")); return ;;
        --only)
            COMPREPLY=($(compgen -W "$kinds" -- "$cur")); return ;;
        --color | --colour)
            COMPREPLY=($(compgen -W "auto always never" -- "$cur")); return ;;
        -C)
            COMPREPLY=($(compgen -d -- "$cur")); return ;;
        --db | --db-list | --config | -o | --output)
            COMPREPLY=($(compgen -f -- "$cur")); return ;;
        --schema | -m | --message)
            return ;;
    esac

    # the command and its subcommand, skipping options and their values
    local cmd="" sub="" i w
    for ((i = 1; i < COMP_CWORD; i++)); do
        w=${COMP_WORDS[i]}
        case $w in
            -C | --db | --db-list | --schema | --config | -o | --output | -m | --message | --fail-on | \
                --min-severity | --only)
                ((i++)) ;;
            -*) ;;
            *)
                if [[ -z $cmd ]]; then cmd=$w; elif [[ -z $sub ]]; then sub=$w; fi ;;
        esac
    done

    local opts
    case $cmd in
        "") opts="$common --color= --version" ;;
        check) opts="--fail-on= --db-list=" ;;
        diff) opts="--color= --json --sarif --exit-code --output=" ;;
        report | snapshot) opts="--output=" ;;
        update) opts="--only= --min-severity= --prune --dry-run" ;;
        commit) opts="--message=" ;;
        hook) opts="--force --fail-on=" ;;
        status) opts="--json" ;;
        sql) opts="--destructive --all" ;;
        *) opts="" ;;
    esac
    [[ -n $cmd ]] && opts="$opts $common"

    if [[ $cur == -* ]]; then
        COMPREPLY=($(compgen -W "$opts" -- "$cur"))
        [[ ${COMPREPLY[0]-} == *= ]] && compopt -o nospace 2>/dev/null
        return
    fi
    case $cmd in
        "") COMPREPLY=($(compgen -W "$commands" -- "$cur")) ;;
        backup)
            if [[ -z $sub ]]; then
                COMPREPLY=($(compgen -W "list show restore delete prune" -- "$cur"))
            elif [[ $sub == show || $sub == restore || $sub == delete ]] &&
                [[ $prev == "$sub" ]]; then
                COMPREPLY=($(compgen -W "$(_schemerge_backup_ids)" -- "$cur"))
            fi ;;
        hook)
            [[ -z $sub ]] && COMPREPLY=($(compgen -W "install uninstall" -- "$cur")) ;;
        lint)
            COMPREPLY=($(compgen -f -- "$cur")) ;;
    esac
}
complete -F _schemerge schemerge
